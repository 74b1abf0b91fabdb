/**
 * Drawing for the shapes-vision page: an eval image with an attention map
 * over it (cells coloured by weight ÷ the map's largest weight) and the
 * target box dashed; channel attention as bars; the totals table.
 */
import type { PixelBox } from '../shared/box-mass.js';

/** Pixels per image pixel in the drawn maps. */
const SCALE = 4;

/** The RGBA pixels of image `index` of uint8 [N, 3, size, size] (NCHW). */
export function imagePixels(images: Uint8Array, index: number, size: number): ImageData {
  const pixels = new ImageData(size, size);
  const plane = size * size;
  const start = index * 3 * plane;
  for (let pixel = 0; pixel < plane; pixel++) {
    for (let channel = 0; channel < 3; channel++) pixels.data[pixel * 4 + channel] = images[start + channel * plane + pixel];
    pixels.data[pixel * 4 + 3] = 255;
  }
  return pixels;
}

/** A figure with a canvas showing `image` under `map` (grid × grid, row-major) and `box`, captioned. */
export function mapFigure(image: ImageData, map: ArrayLike<number> | undefined, grid: number, box: PixelBox, caption: string): HTMLElement {
  const size = image.width;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size * SCALE;
  const context = canvas.getContext('2d')!;
  const source = document.createElement('canvas');
  source.width = source.height = size;
  source.getContext('2d')!.putImageData(image, 0, 0);
  context.imageSmoothingEnabled = false;
  context.drawImage(source, 0, 0, size * SCALE, size * SCALE);
  if (map) {
    const largest = Math.max(...Array.from(map), 1e-12);
    const cell = (size * SCALE) / grid;
    for (let row = 0; row < grid; row++) {
      for (let column = 0; column < grid; column++) {
        const weight = map[row * grid + column] / largest;
        context.fillStyle = `rgba(255, 214, 0, ${(0.85 * weight).toFixed(3)})`;
        context.fillRect(column * cell, row * cell, cell, cell);
      }
    }
    context.fillStyle = 'rgba(0, 0, 40, 0.35)';
    for (let row = 0; row < grid; row++) for (let column = 0; column < grid; column++) if (map[row * grid + column] / largest < 0.05) context.fillRect(column * cell, row * cell, cell, cell);
  }
  context.setLineDash([4, 3]);
  context.lineWidth = 2;
  context.strokeStyle = '#00e5ff';
  context.strokeRect(box[0] * SCALE, box[1] * SCALE, (box[2] - box[0]) * SCALE, (box[3] - box[1]) * SCALE);
  const figure = document.createElement('figure');
  figure.className = 'map';
  const label = document.createElement('figcaption');
  label.textContent = caption;
  figure.append(canvas, label);
  return figure;
}

/** Bars of `values` in [0, 1], one per channel, with a caption line above. */
export function channelBars(values: ArrayLike<number>, caption: string): HTMLElement {
  const wrapper = document.createElement('div');
  const label = document.createElement('div');
  label.className = 'note';
  label.textContent = caption;
  const canvas = document.createElement('canvas');
  const bar = 6;
  canvas.width = values.length * bar;
  canvas.height = 48;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#eef2f7';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#3d6fb6';
  for (let index = 0; index < values.length; index++) {
    const height = Math.max(1, values[index] * canvas.height);
    context.fillRect(index * bar, canvas.height - height, bar - 1, height);
  }
  wrapper.append(label, canvas);
  return wrapper;
}

/** A table of rows of cells (the first row is the header). */
export function table(rows: readonly (readonly string[])[]): HTMLTableElement {
  const element = document.createElement('table');
  rows.forEach((cells, index) => {
    const row = element.insertRow();
    for (const text of cells) {
      const cell = document.createElement(index === 0 ? 'th' : 'td');
      cell.textContent = text;
      row.append(cell);
    }
  });
  return element;
}

/** A fraction as a percentage with one decimal. */
export const percent = (value: number): string => `${(100 * value).toFixed(1)}%`;
