/**
 * Loads induction-2l's precompiled Program on the runtime's preferred
 * backend (WebGPU on a hardware adapter; wasm when there is no adapter or
 * only a software one such as SwiftShader, which is far slower than wasm),
 * with @ladon/runtime only (the compiler is never part of the page), and
 * runs it on token ids.
 */
import { preferredBackend, Session, tensor, webGpuUnavailableReason, type Tensor } from '@ladon/runtime';
import type { DemoManifest, ProgramTarget } from '../shared/demo-assets.js';

/** A backend the demo can run on. */
export type DemoBackend = 'wasm' | 'webgpu';

/** One run of the model. */
export interface ModelRun {
  /** logits [1, seq, 49], attn_l0 and attn_l1 [1, 4, seq, seq]. */
  readonly outputs: Record<string, Tensor>;
  readonly runMs: number;
}

const TARGET_OF: Record<DemoBackend, ProgramTarget> = { wasm: 'wasm', webgpu: 'wgsl' };

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The model loaded on one backend. */
export class DemoModel {
  private constructor(
    private readonly session: Session,
    /** The backend that runs the model. */
    readonly backend: DemoBackend,
    /** Fetching the program and creating the session, in milliseconds. */
    readonly loadMs: number,
    /** Why WebGPU is not used, when `auto` or `webgpu` was asked for. */
    readonly fallbackReason: string | undefined,
    /** The wasm thread count asked for (`?threads=N`; undefined: the runtime's default). */
    readonly requestedThreads: number | undefined,
  ) {}

  /** CPU threads the session computes on (wasm: 1 unless the page is cross-origin isolated). */
  get threads(): number {
    return this.session.numThreads;
  }

  /** Loads the program of `backend` (no fallback). */
  static async loadOn(manifest: DemoManifest, backend: DemoBackend, fallbackReason?: string, numThreads?: number): Promise<DemoModel> {
    const started = performance.now();
    const bytes = await fetchBytes(manifest.programs[TARGET_OF[backend]].file);
    const session = await Session.create(bytes, { backend, ...(numThreads === undefined ? {} : { numThreads }) });
    return new DemoModel(session, backend, performance.now() - started, fallbackReason, numThreads);
  }

  /**
   * Loads on `preference`, or for `auto` on the runtime's `preferredBackend()`;
   * on wasm (saying why) when WebGPU is wanted but unavailable, or fails to load.
   */
  static async load(manifest: DemoManifest, preference: DemoBackend | 'auto', numThreads?: number): Promise<DemoModel> {
    if (preference === 'wasm') return DemoModel.loadOn(manifest, 'wasm', undefined, numThreads);
    const unavailable = await webGpuUnavailableReason();
    if (unavailable !== undefined) return DemoModel.loadOn(manifest, 'wasm', unavailable, numThreads);
    if (preference === 'auto' && (await preferredBackend()) === 'wasm') {
      return DemoModel.loadOn(manifest, 'wasm', 'the WebGPU adapter is a software fallback, slower than wasm', numThreads);
    }
    try {
      return await DemoModel.loadOn(manifest, 'webgpu');
    } catch (error) {
      return DemoModel.loadOn(manifest, 'wasm', `WebGPU failed to load: ${describeError(error)}`, numThreads);
    }
  }

  /** Runs the model on `ids` (BOS first) as a batch of one. */
  async run(ids: readonly number[]): Promise<ModelRun> {
    const inputIds = tensor('i64', [1, ids.length], ids);
    const started = performance.now();
    const outputs = await this.session.run({ input_ids: inputIds });
    return { outputs, runMs: performance.now() - started };
  }

  /** Frees the session. */
  dispose(): void {
    this.session.dispose();
  }
}

/** Runs on `model`; when a WebGPU run fails, reloads on wasm and runs there. */
export async function runWithFallback(model: DemoModel, manifest: DemoManifest, ids: readonly number[]): Promise<{ model: DemoModel; run: ModelRun }> {
  try {
    return { model, run: await model.run(ids) };
  } catch (error) {
    if (model.backend === 'wasm') throw error;
    model.dispose();
    const wasm = await DemoModel.loadOn(manifest, 'wasm', `WebGPU failed to run: ${describeError(error)}`, model.requestedThreads);
    return { model: wasm, run: await wasm.run(ids) };
  }
}
