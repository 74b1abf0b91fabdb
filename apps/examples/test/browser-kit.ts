/**
 * What the browser tests of the demo pages share: Chromium's flags and the
 * horizontal-overflow probe run in the page.
 */

/** Flags for headless Chromium (WebGPU enabled, no background traffic). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

/** An element that sticks out of the viewport horizontally. */
export interface Overflow {
  readonly element: string;
  readonly left: number;
  readonly right: number;
}

/**
 * Every visible element whose box leaves [0, viewport width], except those
 * inside a container that clips or scrolls horizontally (the container itself
 * is checked), and the page's own scroll width.
 */
export function horizontalOverflow(): { width: number; scrollWidth: number; overflows: Overflow[] } {
  const width = document.documentElement.clientWidth;
  const insideScroller = (element: Element): boolean => {
    for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      if (getComputedStyle(parent).overflowX !== 'visible') return true;
    }
    return false;
  };
  const name = (element: Element): string => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.classList.length ? `.${[...element.classList].join('.')}` : ''}`;
  const overflows: Overflow[] = [];
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || insideScroller(element)) continue;
    if (box.left < -0.5 || box.right > width + 0.5) overflows.push({ element: name(element), left: Math.round(box.left), right: Math.round(box.right) });
  }
  return { width, scrollWidth: document.documentElement.scrollWidth, overflows };
}

