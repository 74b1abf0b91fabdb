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
 * object), an IR Graph, ONNX bytes, or a URL of either file; graphs and ONNX
 * models are compiled on demand (the compiler is loaded only then). Sizes
 * decided by input values are bound at run time by the program's host part;
 * where a kernel needs an input's value itself at compile time, a session
 * from a graph or ONNX bytes compiles one program per distinct value of it.
 */
import { Graph, LadonError, RuntimeValueError, type Program, type Tensor } from '@ladon/ir';
import type { BackendName, BackendSession, StepTiming } from './backend.js';
import type { ProgramOrigin } from './compile/cache/cached-compile.js';
import { compileForSession, type CompileSettings } from './compile/compile-program.js';
import { BackendError } from './errors.js';
import { graphTensorInfo, programTensorInfo, type TensorInfo } from './tensor-info.js';
import { phase } from './progress.js';
import { ReferenceSession } from './reference/reference-session.js';
import { loadSource, type SessionSource, type SourceOptions } from './source.js';
import { SpecializingSession } from './specializing-session.js';
import { WasmSession, type WasmSessionOptions } from './wasm/wasm-session.js';
import { createWebGpuSession, preferredBackend, type WebGpuSessionOptions } from './webgpu/webgpu-session.js';

export type { SessionSource } from './source.js';

/** Options for {@link Session.create}. */
export interface SessionOptions extends WasmSessionOptions, WebGpuSessionOptions, CompileSettings, SourceOptions {
  /**
   * Which backend runs the model. `auto` (the default) picks WebGPU when a
   * hardware adapter exists, else wasm; for a precompiled program, its target.
   */
  readonly backend?: BackendName | 'auto';
}

/** Options of {@link Session.run}. */
export interface RunOptions {
  /** Time every step (wasm backend) and return `{ outputs, profile }`. */
  readonly profile?: boolean;
}

/** What a profiled run returns. */
export interface ProfiledRun {
  readonly outputs: Record<string, Tensor>;
  /** One entry a step, in program order. */
  readonly profile: readonly StepTiming[];
}

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
    /** The model's inputs in order: name, dtype and shape (symbolic dims are names). */
    readonly inputMetadata: readonly TensorInfo[],
    /** The model's outputs in order: name, dtype and shape (symbolic dims are names). */
    readonly outputMetadata: readonly TensorInfo[],
    /** Where the program came from: precompiled, compiled now, or a compile cache (memory, or persistent: no compilation); 'compiled' when programs are compiled per input value as the feeds arrive. */
    readonly programOrigin: ProgramOrigin,
  ) {}

  /** The backend this session runs on. */
  get backend(): BackendName {
    return this.inner.backend;
  }

  /** CPU threads the session computes on: on wasm the calling thread plus its workers, else 1. */
  get numThreads(): number {
    return this.inner.threads ?? 1;
  }

  /** The names of the model's inputs, in order. */
  get inputNames(): readonly string[] {
    return this.inputMetadata.map((info) => info.name);
  }

  /** The names of the model's outputs, in order. */
  get outputNames(): readonly string[] {
    return this.outputMetadata.map((info) => info.name);
  }

  /** Loads (fetching, importing and compiling as needed) `source` on a backend. */
  static async create(source: SessionSource, options: SessionOptions = {}): Promise<Session> {
    const choice = options.backend ?? 'auto';
    checkBackendName(choice);
    const loaded = await loadSource(source, options);
    // A precompiled program already chose: 'auto' means its own target.
    const backend = choice === 'auto' && !(loaded instanceof Graph) ? (loaded.target === 'wasm' ? 'wasm' : 'webgpu') : await resolveBackend(choice);
    if (backend === 'reference') {
      if (!(loaded instanceof Graph)) throw new BackendError('the reference backend runs graphs; it cannot run a compiled program');
      return new Session(new ReferenceSession(loaded), undefined, graphTensorInfo(loaded, loaded.inputs), graphTensorInfo(loaded, loaded.outputs), 'precompiled');
    }
    const target = backend === 'wasm' ? 'wasm' : 'wgsl';
    const load = (program: Program) => phase(options.onProgress, 'instantiate', () => (backend === 'wasm' ? WasmSession.create(program, options) : createWebGpuSession(program, options)));
    let compiled: { program: Program; origin: ProgramOrigin };
    try {
      compiled = loaded instanceof Graph ? await compileForSession(loaded, target, options) : { program: loaded, origin: 'precompiled' };
    } catch (error) {
      // Kernels that need some inputs' values: compile per value (the same way: worker, cache, progress) when the feeds arrive.
      if (!(error instanceof RuntimeValueError) || !(loaded instanceof Graph)) throw error;
      const compile = async (graph: Graph) => (await compileForSession(graph, target, options)).program;
      const inner = new SpecializingSession(backend, loaded, compile, load, error.inputs);
      return new Session(inner, undefined, graphTensorInfo(loaded, loaded.inputs), graphTensorInfo(loaded, loaded.outputs), 'compiled');
    }
    const { program, origin } = compiled;
    if (program.target !== target) throw new BackendError(`this program was compiled for ${program.target}; the ${backend} backend needs a ${target} program`);
    return new Session(await load(program), program, programTensorInfo(program, program.inputs), programTensorInfo(program, program.outputs), origin);
  }

  /**
   * Runs the model on `feeds` (by input name) and returns the outputs (by
   * output name). With `{ profile: true }` (wasm backend) it returns
   * `{ outputs, profile }`: every step's op, node, kernel and milliseconds.
   */
  run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>>;
  run(feeds: Readonly<Record<string, Tensor>>, options: { readonly profile: true }): Promise<ProfiledRun>;
  run(feeds: Readonly<Record<string, Tensor>>, options?: RunOptions): Promise<Record<string, Tensor> | ProfiledRun>;
  async run(feeds: Readonly<Record<string, Tensor>>, options: RunOptions = {}): Promise<Record<string, Tensor> | ProfiledRun> {
    if (this.disposed) throw new LadonError('E_BACKEND', 'this session was disposed');
    if (!options.profile) return this.inner.run(feeds);
    if (!this.inner.profiles) throw new LadonError('E_UNSUPPORTED', `profiling times the steps of a compiled program on the wasm backend; this session runs on ${this.backend}`);
    const profile: StepTiming[] = [];
    const outputs = await this.inner.run(feeds, profile);
    return { outputs, profile };
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
