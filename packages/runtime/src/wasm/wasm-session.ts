/**
 * The WebAssembly backend: one module, one linear memory. Memory layout:
 * reserved bytes (kernel constants), then the weights (copied once), then
 * the arena planned per symbol binding (see memory-plan.ts). A run binds the
 * symbols (the input shapes, then the program's host part), writes the
 * feeds and the host's values into their buffers, calls each step's kernel export with resolved
 * pointers and sizes, and copies the outputs out.
 *
 * Threads: with more than one, the memory is shared and the module is
 * instantiated again in a pool of workers (threads/), started on the first
 * run that has a step worth splitting. A step the compiler marked as
 * splittable runs in parts — part 0 on the calling thread — each with its
 * own copy of per-thread scratch. Runs are queued: one at a time.
 */
import { allocData, LadonError, ProgramFormatError, type BufferSpec, type Dim, type Program, type ProgramStep, type StepArg, type Tensor, type WasmPayload } from '@ladon/ir';
import type { BackendSession, StepTiming } from '../backend.js';
import { bindRun, evaluateSize, hostValueOf } from '../bindings.js';
import { rootOf } from '../lifetimes.js';
import { BackendError, LimitError, ThreadError } from '../errors.js';
import { planMemory, type MemoryPlan } from '../memory-plan.js';
import { checkStepArguments, type KernelParameters } from '../step-arguments.js';
import { relaxedSimdSupported, simdSupported } from './features.js';
import { withSharedMemoryImport } from './threads/shared-module.js';
import { partsFor, resolveThreadCount } from './threads/thread-count.js';
import { ThreadPool } from './threads/thread-pool.js';

/** Options of the wasm backend. */
export interface WasmSessionOptions {
  /** Use the relaxed-SIMD (FMA) module: `auto` (default) when the host supports it. */
  readonly relaxedSimd?: boolean | 'auto';
  /**
   * Threads to compute on: the calling thread plus `numThreads - 1` workers
   * sharing the module's memory. Default: every core, at most 4. 1 means no
   * workers at all. Where memory cannot be shared (a browser page that is not
   * cross-origin isolated) the session runs on one thread and says so once.
   */
  readonly numThreads?: number;
}

/** A kernel export's parameters: as the program records them (checked against the export's arity), else by position. */
function wasmParameters(kernels: Readonly<Record<string, Kernel>>, payload: WasmPayload, name: string): KernelParameters | undefined {
  const kernel = Object.prototype.hasOwnProperty.call(kernels, name) ? kernels[name] : undefined;
  if (typeof kernel !== 'function') return undefined;
  const declared = payload.kernels?.find((signature) => signature.name === name);
  if (declared && declared.params.length !== kernel.length) {
    throw new ProgramFormatError(`kernel '${name}' takes ${kernel.length} parameters in the module, but the program declares ${declared.params.length} (${declared.params.join(', ')})`);
  }
  return { params: declared?.params ?? Array.from({ length: kernel.length }, (_, index) => `parameter ${index}`) };
}

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB: wasm32's address space
type Kernel = (...args: number[]) => void;

/** What a run resolves sizes and addresses with. */
interface RunContext {
  readonly bindings: ReadonlyMap<string, number>;
  readonly plan: MemoryPlan;
}

/** Compiled modules by their bytes (plain and shared-memory variants): sessions of one program share the engine's code. */
const compiledModules = new WeakMap<Uint8Array, { plain?: Promise<WebAssembly.Module>; shared?: Promise<WebAssembly.Module> }>();

function compiledModule(bytes: Uint8Array, shared: boolean): Promise<WebAssembly.Module> {
  let entry = compiledModules.get(bytes);
  if (!entry) compiledModules.set(bytes, (entry = {}));
  const key = shared ? 'shared' : 'plain';
  const compiling = (entry[key] ??= WebAssembly.compile((shared ? withSharedMemoryImport(bytes) : bytes) as Uint8Array<ArrayBuffer>));
  compiling.catch(() => entry[key] === compiling && delete entry[key]);
  return compiling;
}

/** A program loaded into a WebAssembly instance. */
export class WasmSession implements BackendSession {
  readonly backend = 'wasm' as const;
  private readonly plans = new Map<string, MemoryPlan>();
  private readonly weightsBase: number;
  private readonly arenaBase: number;
  private pool: Promise<ThreadPool> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    private readonly program: Program,
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly kernels: Readonly<Record<string, Kernel>>,
    /** True when the relaxed-SIMD module was chosen. */
    readonly relaxed: boolean,
    /** Threads this session computes on (the calling thread included). */
    readonly threads: number,
  ) {
    this.weightsBase = program.wasm!.reservedBytes;
    this.arenaBase = Math.ceil((this.weightsBase + program.weights.length) / 64) * 64;
  }

  /** Compiles and instantiates the program's module, checks every step's arguments against the kernel it calls (a ProgramFormatError otherwise) and places its weights. */
  static async create(program: Program, options: WasmSessionOptions = {}): Promise<WasmSession> {
    const payload = program.wasm;
    if (!payload) throw new BackendError(`program ${program.name} has no WebAssembly module (target ${program.target})`);
    if (!simdSupported()) throw new BackendError('this host does not support WebAssembly SIMD, which the wasm backend needs');
    const wantRelaxed = options.relaxedSimd ?? 'auto';
    const relaxed = payload.relaxed !== undefined && (wantRelaxed === true || (wantRelaxed === 'auto' && relaxedSimdSupported()));
    if (wantRelaxed === true && !relaxed) throw new BackendError('relaxed SIMD was requested but the host or the program does not support it');
    const requested = resolveThreadCount(options.numThreads);
    // A program with no splittable step runs on the calling thread alone.
    const threads = program.steps.some((step) => step.split) ? requested : 1;
    const shared = threads > 1;
    const initialBytes = payload.reservedBytes + program.weights.length;
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(initialBytes / PAGE)), maximum: MAX_PAGES, shared });
    let module: WebAssembly.Module;
    let instance: WebAssembly.Instance;
    try {
      module = await compiledModule(relaxed ? payload.relaxed! : payload.simd, shared);
      instance = await WebAssembly.instantiate(module, { env: { memory } });
    } catch (error) {
      if (error instanceof LadonError) throw error;
      throw new BackendError(`the program's WebAssembly module did not load: ${(error as Error).message}`);
    }
    const kernels = instance.exports as unknown as Record<string, Kernel>;
    checkStepArguments(program, (name) => wasmParameters(kernels, payload, name));
    new Uint8Array(memory.buffer).set(program.weights, payload.reservedBytes);
    return new WasmSession(program, module, memory, kernels, relaxed, threads);
  }

  readonly profiles = true;

  /** Runs on `feeds`; a run waits for the ones before it (runs never interleave). With `profile`, each step's time is appended. */
  run(feeds: Readonly<Record<string, Tensor>>, profile?: StepTiming[]): Promise<Record<string, Tensor>> {
    const result = this.queue.then(() => this.runNow(feeds, profile));
    this.queue = result.catch(() => undefined);
    return result;
  }

  dispose(): void {
    this.disposed = true;
    this.plans.clear();
    const pool = this.pool;
    this.pool = undefined;
    void pool?.then((started) => started.dispose(), () => undefined);
  }

  private async runNow(feeds: Readonly<Record<string, Tensor>>, profile: StepTiming[] | undefined): Promise<Record<string, Tensor>> {
    if (this.disposed) throw new BackendError('this wasm session was disposed');
    const { bindings, hostValues } = bindRun(this.program, feeds);
    const context: RunContext = { bindings, plan: this.planFor(bindings) };
    this.ensureMemory(context.plan);
    for (const input of this.program.inputs) this.write(input.buffer, feeds[input.name], context.plan);
    for (const spec of this.program.buffers) {
      if (spec.known) this.writeKnown(spec, context);
      else if (spec.host) this.write(spec.id, hostValueOf(spec, hostValues, context.plan.shapes.get(spec.id)!), context.plan);
    }
    for (const [index, step] of this.program.steps.entries()) {
      const started = profile ? performance.now() : 0;
      const parts = step.split ? partsFor(this.evaluate(step.split.units, bindings), this.evaluate(step.split.unitCost, bindings), this.threads) : 0;
      if (parts > 1) await this.runInParts(step, parts, context);
      else this.runAlone(step, context, parts === 1);
      profile?.push({ step: index, op: step.op, node: step.node, kernel: step.kernel, ms: performance.now() - started });
    }
    const outputs: Record<string, Tensor> = {};
    for (const output of this.program.outputs) outputs[output.name] = this.read(output.buffer, context.plan);
    return outputs;
  }

  /** Runs a step on this thread (a split step as part 0 of 1). */
  private runAlone(step: ProgramStep, context: RunContext, split: boolean): void {
    const args = this.resolveArgs(step, context, 0);
    if (split) args.push(0, 1);
    try {
      this.kernelOf(step)(...args);
    } catch (error) {
      if (error instanceof LadonError) throw error;
      throw new BackendError(`kernel ${step.kernel} trapped: ${(error as Error).message}`, { node: step.node, op: step.op });
    }
  }

  /** Runs a split step in `parts` parts on the thread pool (part 0 here). */
  private async runInParts(step: ProgramStep, parts: number, context: RunContext): Promise<void> {
    const kernel = this.kernelOf(step);
    const pool = await this.startedPool();
    const partArgs = Array.from({ length: parts }, (_, part) => [...this.resolveArgs(step, context, part), part, parts]);
    const fault = await pool.run(step.kernel, partArgs, (args) => kernel(...args));
    if (fault) throw new BackendError(`kernel ${step.kernel} trapped on thread ${fault.part}: ${fault.message}`, { node: step.node, op: step.op });
  }

  private kernelOf(step: ProgramStep): Kernel {
    const kernel = this.kernels[step.kernel];
    if (!kernel) throw new BackendError(`the module has no kernel '${step.kernel}' (${step.op} ${step.node})`);
    return kernel;
  }

  /** The thread pool, started on first use (and again after a worker died). */
  private async startedPool(): Promise<ThreadPool> {
    const current = this.pool && (await this.pool.catch(() => undefined));
    if (current && !current.failure) return current;
    const kernels = [...new Set(this.program.steps.filter((step) => step.split).map((step) => step.kernel))];
    const starting = ThreadPool.start(this.module, this.memory, kernels, this.threads - 1);
    this.pool = starting;
    try {
      return await starting;
    } catch (error) {
      this.pool = undefined;
      if (error instanceof LadonError) throw error;
      throw new ThreadError(`the session's workers did not start: ${(error as Error).message}`);
    }
  }

  private planFor(bindings: ReadonlyMap<string, number>): MemoryPlan {
    const key = [...bindings.entries()].sort().map(([symbol, value]) => `${symbol}=${value}`).join(',');
    let plan = this.plans.get(key);
    if (!plan) {
      plan = planMemory(this.program, bindings, this.threads);
      if (this.plans.size > 32) this.plans.clear();
      this.plans.set(key, plan);
    }
    return plan;
  }

  private ensureMemory(plan: MemoryPlan): void {
    const needed = this.arenaBase + plan.arenaBytes;
    if (needed > MAX_PAGES * PAGE) {
      const largest = [...plan.sizes.entries()].sort((a, b) => b[1] - a[1])[0];
      const spec = this.program.buffers[largest[0]];
      throw new LimitError(
        `this run needs ${(needed / 2 ** 30).toFixed(2)} GiB of wasm memory, over wasm's 4 GiB limit (largest buffer: ${spec.name} ${spec.dtype}[${plan.shapes.get(spec.id)!.join(', ')}], ${(largest[1] / 2 ** 30).toFixed(2)} GiB)`,
        { tensor: spec.name },
      );
    }
    const missing = needed - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE));
  }

  /** The address of buffer `id` (for a per-thread buffer, the copy of thread `part`). */
  private address(id: number, plan: MemoryPlan, part = 0): number {
    const spec = this.program.buffers[rootOf(this.program, id)];
    if (spec.kind === 'weight') return this.weightsBase + spec.weightOffset!;
    return this.arenaBase + plan.offsets.get(spec.id)! + part * (plan.copyStrides.get(spec.id) ?? 0);
  }

  private resolveArgs(step: ProgramStep, context: RunContext, part: number): number[] {
    return step.args.map((arg) => this.resolve(arg, context, part));
  }

  private resolve(arg: StepArg, { bindings, plan }: RunContext, part: number): number {
    if ('buffer' in arg) return this.address(arg.buffer, plan, part) + (arg.byteOffset === undefined ? 0 : this.evaluate(arg.byteOffset, bindings));
    if ('int' in arg) return arg.int;
    if ('float' in arg) return arg.float;
    return this.evaluate(arg.dim, bindings);
  }

  private evaluate(dim: Dim, bindings: ReadonlyMap<string, number>): number {
    return evaluateSize(dim, bindings, `program ${this.program.name}`);
  }

  private write(id: number, value: Tensor, plan: MemoryPlan): void {
    const bytes = new Uint8Array(value.data.buffer, value.data.byteOffset, value.data.byteLength);
    new Uint8Array(this.memory.buffer, this.address(id, plan), bytes.length).set(bytes);
  }

  private writeKnown(spec: BufferSpec, { bindings, plan }: RunContext): void {
    const values = spec.known!.map((dim) => this.evaluate(dim, bindings));
    const data = allocData(spec.dtype, values.length);
    values.forEach((value, i) => (data[i] = spec.dtype === 'i64' ? BigInt(value) : value));
    this.write(spec.id, { dtype: spec.dtype, shape: [values.length], data }, plan);
  }

  private read(id: number, plan: MemoryPlan): Tensor {
    const spec = this.program.buffers[id];
    const shape = plan.shapes.get(id)!;
    const data = allocData(spec.dtype, shape.reduce((a, b) => a * b, 1));
    const bytes = new Uint8Array(this.memory.buffer, this.address(id, plan), data.byteLength);
    new Uint8Array(data.buffer).set(bytes);
    return { dtype: spec.dtype, shape, data };
  }
}
