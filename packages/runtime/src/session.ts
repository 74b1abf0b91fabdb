/**
 * Session: what applications use to run a model.
 *
 * ```ts
 * const session = await Session.create(onnxBytes, { backend: 'wasm' });
 * const { y } = await session.run({ x });
 * session.dispose();
 * ```
 *
 * The source is a precompiled Program (bytes of a `.ladon` file or the
 * object), an IR Graph, or ONNX bytes; the last two are compiled on demand
 * (the compiler is loaded with a dynamic import only then). Sizes decided by
 * input values are bound at run time by the program's host part; where a
 * kernel needs an input's value itself at compile time, a session from a
 * graph or ONNX bytes compiles one program per distinct value of it.
 */
import { deserializeProgram, Graph, LadonError, RuntimeValueError, type Program, type Tensor } from '@ladon/ir';
import type { BackendName, BackendSession } from './backend.js';
import { BackendError } from './errors.js';
import { compileGraph, importOnnx } from './load-tools.js';
import { ReferenceSession } from './reference/reference-session.js';
import { SpecializingSession } from './specializing-session.js';
import { WasmSession, type WasmSessionOptions } from './wasm/wasm-session.js';
import { createWebGpuSession, preferredBackend, type WebGpuSessionOptions } from './webgpu/webgpu-session.js';

/** What a session can be created from. */
export type SessionSource = Program | Graph | Uint8Array;

/** Options for {@link Session.create}. */
export interface SessionOptions extends WasmSessionOptions, WebGpuSessionOptions {
  /**
   * Which backend runs the model. `auto` (the default) picks WebGPU when a
   * hardware adapter exists, else wasm; for a precompiled program, its target.
   */
  readonly backend?: BackendName | 'auto';
}

const PROGRAM_MAGIC = 'LADONPG1';

/** A model loaded on a backend, ready to run. */
export class Session {
  private disposed = false;

  private constructor(
    private readonly inner: BackendSession,
    /**
     * The compiled program (undefined on the reference backend, and when the
     * program is compiled per value of some inputs: see RuntimeValueError).
     */
    readonly program: Program | undefined,
  ) {}

  /** The backend this session runs on. */
  get backend(): BackendName {
    return this.inner.backend;
  }

  /** CPU threads the session computes on: on wasm the calling thread plus its workers, else 1. */
  get numThreads(): number {
    return this.inner.threads ?? 1;
  }

  /** Loads (and if needed compiles) `source` on a backend. */
  static async create(source: SessionSource, options: SessionOptions = {}): Promise<Session> {
    const loaded = await toGraphOrProgram(source);
    const choice = options.backend ?? 'auto';
    checkBackendName(choice);
    // A precompiled program already chose: 'auto' means its own target.
    const backend = choice === 'auto' && !(loaded instanceof Graph) ? (loaded.target === 'wasm' ? 'wasm' : 'webgpu') : await resolveBackend(choice);
    if (backend === 'reference') {
      if (!(loaded instanceof Graph)) throw new BackendError('the reference backend runs graphs; it cannot run a compiled program');
      return new Session(new ReferenceSession(loaded), undefined);
    }
    const target = backend === 'wasm' ? 'wasm' : 'wgsl';
    const load = (program: Program) => (backend === 'wasm' ? WasmSession.create(program, options) : createWebGpuSession(program, options));
    let program: Program;
    try {
      program = loaded instanceof Graph ? await compileGraph(loaded, target) : loaded;
    } catch (error) {
      // Kernels that need some inputs' values: compile per value when the feeds arrive.
      if (!(error instanceof RuntimeValueError) || !(loaded instanceof Graph)) throw error;
      return new Session(new SpecializingSession(backend, loaded, target, load, error.inputs), undefined);
    }
    if (program.target !== target) throw new BackendError(`this program was compiled for ${program.target}; the ${backend} backend needs a ${target} program`);
    return new Session(await load(program), program);
  }

  /** Runs the model on `feeds` (by input name) and returns the outputs (by output name). */
  async run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    if (this.disposed) throw new LadonError('E_BACKEND', 'this session was disposed');
    return this.inner.run(feeds);
  }

  /** Frees the session's memory, devices and worker threads. Further runs throw. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.inner.dispose();
  }
}

const BACKEND_NAMES: readonly string[] = ['auto', 'wasm', 'webgpu', 'reference'];

function checkBackendName(choice: string): void {
  if (!BACKEND_NAMES.includes(choice)) throw new BackendError(`unknown backend '${choice}' (expected ${BACKEND_NAMES.join(', ')})`);
}

async function resolveBackend(choice: BackendName | 'auto'): Promise<BackendName> {
  if (choice !== 'auto') return choice;
  return preferredBackend();
}

async function toGraphOrProgram(source: SessionSource): Promise<Graph | Program> {
  if (source instanceof Graph) return source;
  if (source instanceof Uint8Array) {
    const magic = new TextDecoder().decode(source.subarray(0, 8));
    return magic === PROGRAM_MAGIC ? deserializeProgram(source) : importOnnx(source);
  }
  if (source && (source as Program).format === 'ladon-program') return source as Program;
  throw new LadonError('E_UNSUPPORTED', 'Session.create takes a Program, a Graph, or the bytes of a .ladon program or an .onnx model');
}
