/**
 * The WebAssembly backend: one module, one linear memory. Memory layout:
 * reserved bytes (kernel constants), then the weights (copied once), then
 * the arena planned per symbol binding (see memory-plan.ts). A run writes the
 * feeds into their buffers, calls each step's kernel export with resolved
 * pointers and sizes, and copies the outputs out.
 */
import { allocData, LadonError, ProgramFormatError, type BufferSpec, type Dim, type Program, type StepArg, type Tensor, type WasmPayload } from '@ladon/ir';
import type { BackendSession } from '../backend.js';
import { bindFeeds, evaluateSize } from '../bindings.js';
import { rootOf } from '../lifetimes.js';
import { BackendError, LimitError } from '../errors.js';
import { planMemory, type MemoryPlan } from '../memory-plan.js';
import { checkStepArguments, type KernelParameters } from '../step-arguments.js';
import { relaxedSimdSupported, simdSupported } from './features.js';

/** Options of the wasm backend. */
export interface WasmSessionOptions {
  /** Use the relaxed-SIMD (FMA) module: `auto` (default) when the host supports it. */
  readonly relaxedSimd?: boolean | 'auto';
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

/** A program loaded into a WebAssembly instance. */
export class WasmSession implements BackendSession {
  readonly backend = 'wasm' as const;
  private readonly plans = new Map<string, MemoryPlan>();
  private readonly weightsBase: number;
  private readonly arenaBase: number;

  private constructor(
    private readonly program: Program,
    private readonly memory: WebAssembly.Memory,
    private readonly kernels: Readonly<Record<string, Kernel>>,
    /** True when the relaxed-SIMD module was chosen. */
    readonly relaxed: boolean,
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
    const initialBytes = payload.reservedBytes + program.weights.length;
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(initialBytes / PAGE)), maximum: MAX_PAGES });
    let instance: WebAssembly.Instance;
    try {
      const module = await WebAssembly.compile((relaxed ? payload.relaxed! : payload.simd) as Uint8Array<ArrayBuffer>);
      instance = await WebAssembly.instantiate(module, { env: { memory } });
    } catch (error) {
      throw new BackendError(`the program's WebAssembly module did not load: ${(error as Error).message}`);
    }
    const kernels = instance.exports as unknown as Record<string, Kernel>;
    checkStepArguments(program, (name) => wasmParameters(kernels, payload, name));
    new Uint8Array(memory.buffer).set(program.weights, payload.reservedBytes);
    return new WasmSession(program, memory, kernels, relaxed);
  }

  async run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    const bindings = bindFeeds(this.program, feeds);
    const plan = this.planFor(bindings);
    this.ensureMemory(plan);
    for (const input of this.program.inputs) this.write(input.buffer, feeds[input.name], plan);
    for (const spec of this.program.buffers) if (spec.known) this.writeKnown(spec, bindings, plan);
    for (const step of this.program.steps) {
      const kernel = this.kernels[step.kernel];
      if (!kernel) throw new BackendError(`the module has no kernel '${step.kernel}' (${step.op} ${step.node})`);
      try {
        kernel(...step.args.map((arg) => this.resolve(arg, bindings, plan)));
      } catch (error) {
        if (error instanceof LadonError) throw error;
        throw new BackendError(`kernel ${step.kernel} trapped: ${(error as Error).message}`, { node: step.node, op: step.op });
      }
    }
    const outputs: Record<string, Tensor> = {};
    for (const output of this.program.outputs) outputs[output.name] = this.read(output.buffer, plan);
    return outputs;
  }

  dispose(): void {
    this.plans.clear();
  }

  private planFor(bindings: ReadonlyMap<string, number>): MemoryPlan {
    const key = [...bindings.entries()].sort().map(([symbol, value]) => `${symbol}=${value}`).join(',');
    let plan = this.plans.get(key);
    if (!plan) {
      plan = planMemory(this.program, bindings);
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

  private address(id: number, plan: MemoryPlan): number {
    const spec = this.program.buffers[rootOf(this.program, id)];
    if (spec.kind === 'weight') return this.weightsBase + spec.weightOffset!;
    return this.arenaBase + plan.offsets.get(spec.id)!;
  }

  private resolve(arg: StepArg, bindings: ReadonlyMap<string, number>, plan: MemoryPlan): number {
    if ('buffer' in arg) return this.address(arg.buffer, plan) + (arg.byteOffset === undefined ? 0 : this.evaluate(arg.byteOffset, bindings));
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

  private writeKnown(spec: BufferSpec, bindings: ReadonlyMap<string, number>, plan: MemoryPlan): void {
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
