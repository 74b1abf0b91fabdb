/**
 * A pool of workers sharing one WebAssembly.Memory with the calling thread.
 * Each worker instantiates the same compiled module on that memory; a
 * dispatch (control-block.ts) runs one kernel split into parts, part 0 on
 * the calling thread. The caller waits for the workers with `Atomics.wait`
 * in short slices where it may block, else with `Atomics.waitAsync` (a
 * browser's main thread never blocks), and between slices lets its event
 * loop run, so a worker that dies is noticed: the dispatch then fails with
 * a ThreadError and the pool is torn down — never a hang.
 */
import { BackendError, ThreadError } from '../../errors.js';
import { CONTROL_LAYOUT, ControlBlock } from './control-block.js';
import type { WorkerStatus } from './worker-main.js';
import { canBlock, startWorker, type ThreadWorker } from './worker-seam.js';

/** How long one wait lasts before the caller looks at its event loop (for dead workers). */
const WAIT_SLICE_MS = 50;

/** The first fault of a dispatch: which part trapped and how. */
export interface PartFault {
  readonly part: number;
  readonly message: string;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** `Atomics.waitAsync` (ES2024), where the host has it. */
type WaitAsync = (slots: Int32Array, index: number, value: number, timeoutMs: number) => { async: boolean; value: unknown };
const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

/** Workers plus the calling thread, running kernels in parts. */
export class ThreadPool {
  private readonly control = new ControlBlock();
  private readonly workers: ThreadWorker[] = [];
  private broken: ThreadError | undefined;

  private constructor(private readonly kernels: readonly string[]) {}

  /** Starts `workerCount` workers on `module` and `memory`; resolves when every one is ready. */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, kernels: readonly string[], workerCount: number): Promise<ThreadPool> {
    if (workerCount + 1 > CONTROL_LAYOUT.maxParts) throw new BackendError(`at most ${CONTROL_LAYOUT.maxParts} threads are supported, not ${workerCount + 1}`);
    const pool = new ThreadPool(kernels);
    const ready = Array.from({ length: workerCount }, (_, index) => pool.spawn(module, memory, index + 1));
    try {
      await Promise.all(ready);
    } catch (error) {
      await pool.dispose();
      throw error;
    }
    return pool;
  }

  /** Threads a dispatch can use: the workers and the calling thread. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Why the pool cannot run any more (a worker died, or it was disposed). */
  get failure(): ThreadError | undefined {
    return this.broken;
  }

  /**
   * Runs kernel `kernel` in `partArgs.length` parts: part 0 by `runLocal`
   * on this thread, the others by the workers. Resolves with the first
   * kernel fault, if any part trapped; rejects with a ThreadError when a
   * worker died (the pool is then disposed).
   */
  async run(kernel: string, partArgs: readonly (readonly number[])[], runLocal: (args: readonly number[]) => void): Promise<PartFault | undefined> {
    if (this.broken) throw this.broken;
    const index = this.kernels.indexOf(kernel);
    if (index < 0) throw new BackendError(`the thread pool has no kernel '${kernel}'`);
    if (partArgs.length > this.threads) throw new BackendError(`a dispatch of ${partArgs.length} parts on ${this.threads} threads`);
    this.control.publish(index, partArgs, this.workers.length);
    let localFault: PartFault | undefined;
    try {
      runLocal(partArgs[0]);
    } catch (error) {
      localFault = { part: 0, message: (error as Error).message };
    }
    await this.waitForWorkers();
    return localFault ?? this.control.fault();
  }

  /** Stops and terminates the workers; a dispatch waiting on them fails with a ThreadError. */
  async dispose(reason = 'the session was disposed'): Promise<void> {
    this.broken ??= new ThreadError(`the thread pool was shut down: ${reason}`);
    this.control.stop();
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
  }

  private spawn(module: WebAssembly.Module, memory: WebAssembly.Memory, part: number): Promise<void> {
    const worker = startWorker(`ladon-wasm-${part}`);
    this.workers.push(worker);
    return new Promise<void>((resolve, reject) => {
      const status = (message: WorkerStatus): void => {
        if (message.type !== 'ready') return reject(new BackendError(`a worker could not instantiate the program's module: ${message.message}`));
        worker.allowExit();
        resolve();
      };
      const died = (reason: string): void => {
        const error = new ThreadError(`worker ${part} of the session's thread pool died: ${reason}`);
        reject(error);
        if (this.broken) return;
        this.broken = error;
        void this.dispose();
      };
      worker.listen(status, died);
      worker.post({ module, memory, control: this.control.buffer, layout: CONTROL_LAYOUT, part, kernels: this.kernels });
    });
  }

  /** Waits until every worker answered the current dispatch (see the module comment). */
  private async waitForWorkers(): Promise<void> {
    const { slots, index } = this.control.pendingSlot;
    const blocking = canBlock();
    for (;;) {
      const pending = this.control.pending();
      if (pending === 0) return;
      if (this.broken) throw this.broken;
      if (blocking) {
        if (Atomics.wait(slots, index, pending, WAIT_SLICE_MS) === 'timed-out') await yieldToEventLoop();
      } else if (waitAsync) {
        const waiting = waitAsync(slots, index, pending, WAIT_SLICE_MS);
        if (waiting.async) await waiting.value;
      } else {
        await yieldToEventLoop();
      }
    }
  }
}
