/**
 * The shapes-vision README's "mass in box" score of an attention map: for
 * a non-negative map over an n × n grid of cells covering the image,
 * sum(w · overlap) / sum(w), where overlap is the fraction of a cell's
 * pixels inside the target box (so a uniform map scores the box's area
 * fraction). Browser-safe.
 */

/** A box [x0, y0, x1, y1] in pixels, x = column, y = row, x1/y1 exclusive. */
export type PixelBox = readonly [number, number, number, number];

/** The fraction of cell (row, column) of an n × n grid over a size × size image inside `box`. */
function cellOverlap(row: number, column: number, grid: number, imageSize: number, box: PixelBox): number {
  const cell = imageSize / grid;
  const overlap = (start: number, end: number, boxStart: number, boxEnd: number) => Math.max(0, Math.min(end, boxEnd) - Math.max(start, boxStart));
  const width = overlap(column * cell, (column + 1) * cell, box[0], box[2]);
  const height = overlap(row * cell, (row + 1) * cell, box[1], box[3]);
  return (width * height) / (cell * cell);
}

/** The mass of `weights` (n × n, row-major) inside `box`. */
export function massInBox(weights: ArrayLike<number>, grid: number, imageSize: number, box: PixelBox): number {
  let [inside, total] = [0, 0];
  for (let row = 0; row < grid; row++) {
    for (let column = 0; column < grid; column++) {
      const weight = weights[row * grid + column];
      inside += weight * cellOverlap(row, column, grid, imageSize, box);
      total += weight;
    }
  }
  return total > 0 ? inside / total : 0;
}

/**
 * The CLS query's attention to the patch tokens of one head: row 0 of the
 * head's [tokens, tokens] probabilities without its first column (CLS to
 * CLS), from attn of [heads, tokens, tokens] (row-major).
 */
export function clsToPatches(attention: ArrayLike<number>, head: number, tokens: number): Float32Array {
  const start = head * tokens * tokens;
  return Float32Array.from({ length: tokens - 1 }, (_, patch) => attention[start + 1 + patch]);
}

/** The index of the largest value (the first of ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let index = 1; index < values.length; index++) if (values[index] > values[best]) best = index;
  return best;
}
