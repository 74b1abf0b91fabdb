/**
 * What a worker runs. {@link workerMain} is the worker's whole program; it
 * is shipped as source text ({@link workerSource}), so it must not use
 * anything from outside its own body (no imports, no module-level names):
 * only its port, WebAssembly and Atomics. It instantiates the compiled
 * module on the shared memory, says it is ready, then serves dispatches
 * from the control block (control-block.ts) until told to stop.
 */
import type { ControlLayout } from './control-block.js';

/** What the pool posts to a new worker (once). */
export interface WorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly layout: ControlLayout;
  /** This worker's part index (the calling thread is part 0). */
  readonly part: number;
  /** Kernel export names, indexed as dispatches name them. */
  readonly kernels: readonly string[];
}

/** What a worker posts back: ready to serve, or why it could not start. */
export type WorkerStatus = { readonly type: 'ready' } | { readonly type: 'failed'; readonly message: string };

/** How the worker body talks to its creator (worker_threads' parentPort, or a Web Worker's self). */
export interface WorkerPort {
  onMessage(handler: (message: WorkerInit) => void): void;
  post(message: WorkerStatus): void;
  close(): void;
}

/** The worker's program (see the module comment). */
export function workerMain(port: WorkerPort): void {
  port.onMessage(async (init: WorkerInit) => {
    const layout = init.layout;
    let exports: WebAssembly.Exports;
    try {
      exports = (await WebAssembly.instantiate(init.module, { env: { memory: init.memory } })).exports;
    } catch (error) {
      port.post({ type: 'failed', message: String((error as Error)?.message ?? error) });
      port.close();
      return;
    }
    const slots = new Int32Array(init.control, 0, layout.messageByteOffset / 4);
    const args = new Float64Array(init.control, layout.argsByteOffset);
    const kernels = init.kernels.map((name) => exports[name] as (...values: number[]) => void);
    const recordFault = (error: unknown): void => {
      if (Atomics.compareExchange(slots, layout.fault, 0, init.part + 1) !== 0) return;
      const text = new TextEncoder().encode(String((error as Error)?.message ?? error)).subarray(0, layout.messageBytes);
      const target = new Uint8Array(init.control, layout.messageByteOffset, layout.messageBytes);
      for (let i = 0; i < text.length; i++) target[i] = text[i];
      slots[layout.messageLength] = text.length;
    };
    let seen = Atomics.load(slots, layout.generation);
    port.post({ type: 'ready' });
    for (;;) {
      Atomics.wait(slots, layout.generation, seen);
      seen = Atomics.load(slots, layout.generation);
      if (Atomics.load(slots, layout.command) === layout.stop) break;
      if (init.part < slots[layout.parts]) {
        const values: number[] = [];
        for (let i = 0, base = init.part * layout.maxArgs; i < slots[layout.argCount]; i++) values.push(args[base + i]);
        try {
          kernels[slots[layout.kernel]](...values);
        } catch (error) {
          recordFault(error);
        }
      }
      if (Atomics.sub(slots, layout.pending, 1) === 1) Atomics.notify(slots, layout.pending);
    }
    port.close();
  });
}

/** The source of a worker script for `environment`: the port wiring, then {@link workerMain} called with it. */
export function workerSource(environment: 'node' | 'browser'): string {
  const port =
    environment === 'node'
      ? `(() => { const { parentPort } = process.getBuiltinModule('node:worker_threads'); return { onMessage: (handler) => parentPort.once('message', handler), post: (message) => parentPort.postMessage(message), close: () => parentPort.close() }; })()`
      : `{ onMessage: (handler) => { self.onmessage = (event) => handler(event.data); }, post: (message) => self.postMessage(message), close: () => self.close() }`;
  return `(${workerMain.toString()})(${port});\n`;
}
