/** Number and table formatting shared by the console table, RESULTS.md and the SVG. */

/** Milliseconds with sensible precision (`0.412`, `68.2`, `1234`). */
export function formatMs(ms: number): string {
  if (ms >= 1000) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(3);
}

/** A duration for prose: milliseconds below a second (`412 ms`), else seconds (`12.3 s`). */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${formatMs(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** GFLOP/s with one decimal. */
export function formatRate(gflops: number): string {
  return gflops.toFixed(1);
}

/** A speed-up ratio (`1.52×`). */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/** An absolute error in scientific notation (`3.1e-7`); `0` stays `0`. */
export function formatError(error: number): string {
  if (error === 0) return '0';
  if (!Number.isFinite(error)) return 'inf (NaN or shape mismatch)';
  return error.toExponential(1);
}

/** Bytes in binary units (`14.2 MiB`, `38.5 KiB`, `512 B`). */
export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 2 ** 10) return `${(bytes / 2 ** 10).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** A markdown table (pipes in cells are escaped). */
export function markdownTable(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headings), line(headings.map(() => '---')), ...rows.map(line)].join('\n');
}
