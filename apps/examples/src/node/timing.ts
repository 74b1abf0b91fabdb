/** Small timing helpers for the examples' reports. */

/** A value and how long it took, in milliseconds. */
export interface Timed<T> {
  readonly value: T;
  readonly ms: number;
}

/** Runs `work` and measures it. */
export async function timed<T>(work: () => Promise<T> | T): Promise<Timed<T>> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** The median of `values` (which must not be empty). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median time of `runs` calls of `work`, after the calls already made. */
export async function warmMedian(work: () => Promise<unknown>, runs: number): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) times.push((await timed(work)).ms);
  return median(times);
}

/** Milliseconds for a report: `4741 ms`, `12.3 ms`, `0.412 ms`. */
export function formatMs(ms: number): string {
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}

/** Prints progress lines prefixed with the seconds since the logger was made. */
export function progressLogger(): (line: string) => void {
  const started = performance.now();
  return (line: string) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(5);
    console.log(`[${seconds}s] ${line}`);
  };
}
