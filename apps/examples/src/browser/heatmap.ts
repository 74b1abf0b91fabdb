/**
 * Attention-weight heatmaps on a canvas: row = query position, column = key
 * position, colour = weight (white 0 → dark blue 1); cells above the
 * diagonal (masked by causality) are hatched grey.
 */
import type { InductionPair } from '../shared/sequences.js';

/** How to draw one heatmap. */
export interface HeatmapStyle {
  /** Edge of one cell in CSS pixels. */
  readonly cellSize: number;
  /** Symbols for the axes; no axes when omitted. */
  readonly labels?: readonly string[];
  /** Cells to outline (the induction targets). */
  readonly marks?: readonly InductionPair[];
}

const LOW = [255, 255, 255];
const HIGH = [8, 48, 107];
const LABEL_MARGIN = 14;
/** The fill of cells above the diagonal (keys in the future of the query, masked by causality). */
const MASKED_COLOR = '#eceff3';
/** The outline of the cells an induction head should attend to. */
const MARK_COLOR = '#f28c28';

/** The colour of attention weight `weight` in [0, 1]. */
export function weightColor(weight: number): string {
  const t = Math.min(1, Math.max(0, weight));
  const channel = (index: number): number => Math.round(LOW[index] + (HIGH[index] - LOW[index]) * t);
  return `rgb(${channel(0)}, ${channel(1)}, ${channel(2)})`;
}

function marginOf(style: HeatmapStyle): number {
  return style.labels ? LABEL_MARGIN : 0;
}

function drawLabels(context: CanvasRenderingContext2D, labels: readonly string[], cellSize: number): void {
  context.fillStyle = '#57606a';
  context.font = `${Math.min(11, cellSize)}px ui-monospace, monospace`;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  labels.forEach((label, index) => {
    const center = LABEL_MARGIN + (index + 0.5) * cellSize;
    context.fillText(label, center, LABEL_MARGIN / 2);
    context.fillText(label, LABEL_MARGIN / 2, center);
  });
}

function drawCells(context: CanvasRenderingContext2D, weights: ArrayLike<number>, seq: number, cellSize: number, margin: number): void {
  for (let query = 0; query < seq; query++) {
    for (let key = 0; key < seq; key++) {
      context.fillStyle = key > query ? MASKED_COLOR : weightColor(weights[query * seq + key]);
      context.fillRect(margin + key * cellSize, margin + query * cellSize, cellSize, cellSize);
    }
  }
}

function drawMarks(context: CanvasRenderingContext2D, marks: readonly InductionPair[], cellSize: number, margin: number): void {
  context.strokeStyle = MARK_COLOR;
  context.lineWidth = Math.max(1, cellSize / 6);
  for (const { query, key } of marks) context.strokeRect(margin + key * cellSize + 0.5, margin + query * cellSize + 0.5, cellSize - 1, cellSize - 1);
}

/**
 * Draws the `seq`×`seq` weights (row-major, query by key) on `canvas`,
 * sized `cellSize` per cell; CSS may scale it down to fit a narrow screen
 * (the width is set, the height follows the square's aspect ratio).
 */
export function drawHeatmap(canvas: HTMLCanvasElement, weights: ArrayLike<number>, seq: number, style: HeatmapStyle): void {
  const margin = marginOf(style);
  const edge = margin + seq * style.cellSize;
  const scale = globalThis.devicePixelRatio ?? 1;
  canvas.width = Math.round(edge * scale);
  canvas.height = Math.round(edge * scale);
  canvas.style.width = `${edge}px`;
  const context = canvas.getContext('2d');
  if (!context) return;
  context.setTransform(scale, 0, 0, scale, 0, 0);
  context.clearRect(0, 0, edge, edge);
  drawCells(context, weights, seq, style.cellSize, margin);
  if (style.marks) drawMarks(context, style.marks, style.cellSize, margin);
  if (style.labels) drawLabels(context, style.labels, style.cellSize);
}

/** The (query, key) cell under a mouse event on a heatmap drawn with `style` (and maybe scaled by CSS), if any. */
export function cellAt(canvas: HTMLCanvasElement, event: MouseEvent, seq: number, style: HeatmapStyle): InductionPair | undefined {
  const bounds = canvas.getBoundingClientRect();
  const margin = marginOf(style);
  const shrink = bounds.width / (margin + seq * style.cellSize) || 1;
  const key = Math.floor(((event.clientX - bounds.left) / shrink - margin) / style.cellSize);
  const query = Math.floor(((event.clientY - bounds.top) / shrink - margin) / style.cellSize);
  return query >= 0 && key >= 0 && query < seq && key < seq ? { query, key } : undefined;
}

function legendItem(swatch: HTMLElement, text: string): HTMLSpanElement {
  const item = document.createElement('span');
  item.className = 'legend-item';
  item.append(swatch, text);
  return item;
}

function swatch(className: string, style: Partial<CSSStyleDeclaration>): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = className;
  Object.assign(element.style, style);
  return element;
}

/** The colour key of the heatmaps: the weight ramp 0 → 1, masked cells, induction targets (colours from the drawing code). */
export function renderLegend(container: HTMLElement): void {
  const ramp = swatch('legend-ramp', { background: `linear-gradient(to right, ${weightColor(0)}, ${weightColor(0.5)}, ${weightColor(1)})` });
  const scale = document.createElement('span');
  scale.className = 'legend-item';
  scale.append('weight 0 ', ramp, ' 1');
  container.replaceChildren(
    scale,
    legendItem(swatch('legend-swatch', { background: MASKED_COLOR }), 'masked (future key)'),
    legendItem(swatch('legend-swatch', { outline: `2px solid ${MARK_COLOR}`, outlineOffset: '-2px' }), 'induction target'),
  );
}
