/**
 * Test support: a worker seam that counts the workers it starts and the
 * ones that die or exit, and can hold death notices back (as when a worker
 * dies mid-run and the caller hears of it only later). Tests install it
 * with `vi.mock('…/worker-seam.js', …)` and {@link trackedSeam}.
 */
import type * as WorkerSeam from './worker-seam.js';
import type { ThreadWorker } from './worker-seam.js';

/** What the tracked seam has seen. */
export const tracker = {
  started: [] as ThreadWorker[],
  exited: 0,
  /** While set, death notices wait here until a test delivers them. */
  heldDeaths: undefined as (() => void)[] | undefined,
};

/** The seam `original` with `startWorker` wrapped to count workers and their deaths. */
export function trackedSeam(original: typeof WorkerSeam): typeof WorkerSeam {
  return {
    ...original,
    startWorker(name: string): ThreadWorker {
      const worker = original.startWorker(name);
      tracker.started.push(worker);
      let gone = false;
      const notice = (died: (reason: string) => void, reason: string): void => {
        if (gone) return;
        gone = true;
        tracker.exited++;
        if (tracker.heldDeaths) tracker.heldDeaths.push(() => died(reason));
        else died(reason);
      };
      return { ...worker, listen: (status, died) => worker.listen(status, (reason) => notice(died, reason)) };
    },
  };
}
