/**
 * onnxruntime-web on its wasm execution provider, in Node. Its thread count
 * is fixed per JS realm at the first session, so each thread count gets its
 * own worker thread (ort-web-worker.ts) holding that count's sessions; a
 * runner is one (variant, thread count). Runs are timed in the worker.
 */
import { Worker } from 'node:worker_threads';
import type { CaseData } from './inputs.js';
import type { OrtWebModel, OrtWebReply, OrtWebRequest, OrtWebWorkerData } from './ort-web-protocol.js';
import { ortVariantModel } from './ort-variants.js';
import { describeFailure, type PreparedCase, type Runner, type Unavailable } from './runner.js';

type Success = OrtWebReply & { ok: true };
type Pending = { resolve(reply: Success): void; reject(error: Error): void };
type RequestBody = OrtWebRequest extends infer R ? (R extends OrtWebRequest ? Omit<R, 'id'> : never) : never;

/** One worker thread running onnxruntime-web at a fixed thread count. */
class OrtWebWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(readonly threads: number) {
    this.worker = new Worker(new URL('./ort-web-worker.js', import.meta.url), { workerData: { threads } satisfies OrtWebWorkerData });
    this.worker.on('message', (reply: OrtWebReply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the onnxruntime-web worker exited (code ${code})`)));
  }

  /** Sends a request and waits for its reply (a failed reply rejects with its reason). */
  request(body: RequestBody): Promise<Success> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Success>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id });
    });
  }

  terminate(): Promise<number> {
    this.failure ??= new Error('the onnxruntime-web worker was closed');
    return this.worker.terminate();
  }

  private settle(reply: OrtWebReply): void {
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (reply.ok) pending?.resolve(reply);
    else pending?.reject(new Error(reply.reason));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
  }
}

const workers = new Map<number, OrtWebWorker>();
let preparedCount = 0;

function workerFor(threads: number): OrtWebWorker {
  let worker = workers.get(threads);
  if (!worker) workers.set(threads, (worker = new OrtWebWorker(threads)));
  return worker;
}

/** Ends every onnxruntime-web worker (at the end of the benchmark). */
export async function closeOrtWebWorkers(): Promise<void> {
  await Promise.all([...workers.values()].map((worker) => worker.terminate()));
  workers.clear();
}

function modelOf(data: CaseData, variant: string): OrtWebModel {
  return { onnx: ortVariantModel(data, variant), feeds: data.feeds, outputName: data.outputName };
}

async function prepare(variant: string, threads: number, data: CaseData): Promise<PreparedCase | Unavailable> {
  const worker = workerFor(threads);
  const key = `${data.benchCase.id}/${variant}/${preparedCount++}`;
  try {
    await worker.request({ type: 'prepare', key, ...modelOf(data, variant) });
  } catch (error) {
    return { unavailable: describeFailure(error) };
  }
  return {
    run: async () => {
      const reply = await worker.request({ type: 'run', key });
      return { output: reply.output!, ms: reply.ms! };
    },
    dispose: () => void worker.request({ type: 'dispose', key }).catch(() => undefined),
  };
}

/** onnxruntime-web running `variant` (see ort-variants.ts) on `threads` threads. */
export function ortWebRunner(variant: string, threads: number): Runner {
  return {
    name: `onnxruntime-web [${variant}]`,
    family: 'onnxruntime-web',
    threads,
    setup: `onnxruntime-web wasm EP in a worker thread with env.wasm.numThreads = ${threads}, graphOptimizationLevel 'all'`,
    prepare: (data) => prepare(variant, threads, data),
  };
}

/** Time to first result of onnxruntime-web (1 thread, unfused graph) in a fresh worker: import, initialise its wasm, load the model, run once. */
export async function ortWebFirstResult(data: CaseData): Promise<{ ms?: number; unavailable?: string }> {
  const worker = new OrtWebWorker(1);
  try {
    const reply = await worker.request({ type: 'first-result', ...modelOf(data, 'unfused') });
    return { ms: reply.ms! };
  } catch (error) {
    return { unavailable: describeFailure(error) };
  } finally {
    await worker.terminate();
  }
}
