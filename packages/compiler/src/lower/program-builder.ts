/**
 * Building a Program from a compiled graph, shared by the wasm and WGSL
 * lowerings: one buffer per IR value (created on first use), weights packed
 * once into one blob, views for ops that only reinterpret bytes (Reshape,
 * Squeeze, Unsqueeze, Identity), host-written buffers for shape tensors
 * known from the symbols, and liveness (first/last step) for the runtime's
 * memory planner.
 */
import {
  constantValues,
  nodeLabel,
  dtypeSize,
  LadonError,
  PROGRAM_VERSION,
  type BufferKind,
  type BufferSpec,
  type Dim,
  type DType,
  type Graph,
  type Node,
  type Program,
  type ProgramStep,
  type StepArg,
  type StepSplit,
  type Tensor,
  type WasmPayload,
  type WgslPayload,
} from '@ladon/ir';
import { orderArgs, withoutSplitParams, type KernelArgs, type KernelSignature } from './kernel-call.js';
import { hostKnownContents } from './plans/host-values.js';
import type { RuntimeValues } from './runtime/runtime-values.js';
import { symbolLimits } from './size-limits.js';

interface MutableBuffer extends Omit<BufferSpec, 'firstStep' | 'lastStep'> {
  firstStep: number;
  lastStep: number;
}

/** Accumulates buffers, weights and steps, then produces the Program. */
export class ProgramBuilder {
  private readonly buffers: MutableBuffer[] = [];
  private readonly byValue = new Map<string, number>();
  private readonly weightChunks: Uint8Array[] = [];
  private weightBytes = 0;
  private readonly steps: ProgramStep[] = [];
  private readonly constants: ReadonlyMap<string, Tensor>;
  private readonly derived = new Map<string, number>();
  private runtime: RuntimeValues | undefined;

  constructor(
    readonly graph: Graph,
    private readonly target: 'wasm' | 'wgsl',
  ) {
    this.constants = constantValues(graph);
  }

  /** The constant tensor of a value, if it is one. */
  constant(value: string): Tensor | undefined {
    return this.constants.get(value);
  }

  /** Every constant of the graph (initializers and Constant outputs) by value name. */
  get constantValues(): ReadonlyMap<string, Tensor> {
    return this.constants;
  }

  /** Values that arrive at run time: the host computes some buffers and binds more symbols (set before the first buffer). */
  useRuntimeValues(runtime: RuntimeValues): void {
    if (this.buffers.length > 0) throw new LadonError('E_COMPILE', 'run-time values must be analysed before the first buffer is created');
    this.runtime = runtime;
  }

  /** The buffer holding `value` (created on first use: input, output, weight, known, host-written or intermediate). */
  buffer(value: string): number {
    const existing = this.byValue.get(value);
    if (existing !== undefined) return existing;
    const { dtype, shape } = this.graph.typeOf(value);
    const constant = this.constants.get(value);
    if (constant) return this.define(value, this.weightBuffer(value, constant));
    const known = hostKnownContents(this.graph, value);
    const kind: BufferKind = this.graph.inputs.includes(value) ? 'input' : this.graph.outputs.includes(value) ? 'output' : 'intermediate';
    const host = !known && this.runtime?.writtenByHost(value) === true;
    return this.define(value, { name: value, dtype, shape, kind, ...(known ? { known } : {}), ...(host ? { host } : {}) });
  }

  /**
   * A weight computed at compile time from the graph's constants (e.g. a
   * matrix packed into a kernel's panel layout). `key` names it; asking
   * again with the same key returns the same buffer.
   */
  derivedWeight(key: string, value: Tensor): number {
    const existing = this.derived.get(key);
    if (existing !== undefined) return existing;
    const id = this.buffers.length;
    this.buffers.push({ ...this.weightBuffer(key, value), id, firstStep: -1, lastStep: -1 });
    this.derived.set(key, id);
    return id;
  }

  /** Makes `value`'s buffer a view of `of`'s bytes (no copy). */
  alias(value: string, of: string): void {
    if (this.byValue.has(value)) throw new LadonError('E_COMPILE', `buffer for %${value} was created before it could become a view of %${of}`);
    const target = this.buffer(of);
    const { dtype, shape } = this.graph.typeOf(value);
    const kind: BufferKind = this.graph.outputs.includes(value) ? 'output' : 'intermediate';
    this.define(value, { name: value, dtype, shape, kind, aliasOf: target });
  }

  /**
   * A scratch buffer, live from the next step added to the last step that
   * uses it; `perThread` (wasm) gives every thread of a split step its own copy.
   */
  scratch(name: string, dtype: DType, shape: readonly Dim[], perThread = false): number {
    const id = this.buffers.length;
    this.buffers.push({ id, name, dtype, shape: [...shape], kind: 'scratch', ...(perThread ? { perThread } : {}), firstStep: this.steps.length, lastStep: this.steps.length });
    return id;
  }

  /**
   * Adds a call of `kernel` for `node` with arguments by parameter name
   * (a KernelCallError when one is missing or unknown); buffer arguments
   * extend their buffers' lifetimes. With `split` (wasm), the kernel's last
   * two parameters are SPLIT_PARAMS, which the runtime passes, not the step.
   */
  call(kernel: KernelSignature, node: Node, args: KernelArgs, dispatch?: ProgramStep['dispatch'], dispatchDivisor?: ProgramStep['dispatchDivisor'], split?: StepSplit): void {
    const signature = split ? { name: kernel.name, params: withoutSplitParams(kernel, node) } : kernel;
    this.step(kernel.name, node.op, nodeLabel(node), orderArgs(signature, args, node), dispatch, dispatchDivisor, split);
  }

  private step(kernel: string, op: string, node: string, args: readonly StepArg[], dispatch?: ProgramStep['dispatch'], dispatchDivisor?: ProgramStep['dispatchDivisor'], split?: StepSplit): void {
    const index = this.steps.length;
    for (const arg of args) {
      if (!('buffer' in arg)) continue;
      let buffer: MutableBuffer | undefined = this.buffers[arg.buffer];
      while (buffer) {
        if (buffer.firstStep < 0 || buffer.firstStep > index) buffer.firstStep = index;
        buffer.lastStep = Math.max(buffer.lastStep, index);
        buffer = buffer.aliasOf !== undefined ? this.buffers[buffer.aliasOf] : undefined;
      }
    }
    this.steps.push({ kernel, op, node, args, ...(split ? { split } : {}), ...(dispatch ? { dispatch } : {}), ...(dispatchDivisor ? { dispatchDivisor } : {}) });
  }

  /** The finished program. */
  build(payload: { wasm?: WasmPayload; wgsl?: WgslPayload }, passes: readonly string[]): Program {
    // Graph outputs that no step wrote (constants) get their buffers here, before the weights are laid out.
    const tensors = (names: readonly string[]) => names.map((name) => ({ name, buffer: this.buffer(name) }));
    const inputs = tensors(this.graph.inputs);
    const outputs = tensors(this.graph.outputs);
    const weights = new Uint8Array(this.weightBytes);
    let offset = 0;
    for (const chunk of this.weightChunks) {
      weights.set(chunk, offset);
      offset += Math.ceil(chunk.length / 16) * 16;
    }
    const buffers: BufferSpec[] = this.buffers.map((buffer) => ({
      ...buffer,
      firstStep: buffer.firstStep < 0 ? 0 : buffer.firstStep,
      lastStep: Math.max(buffer.lastStep, buffer.firstStep < 0 ? 0 : buffer.firstStep),
    }));
    const limits = symbolLimits(this.graph);
    const symbolLimitsField = Object.keys(limits).length > 0 ? { symbolLimits: limits } : {};
    const host = this.runtime?.program();
    const hostField = host ? { host } : {};
    return { format: 'ladon-program', version: PROGRAM_VERSION, name: this.graph.name, target: this.target, inputs, outputs, buffers, steps: this.steps, weights, ...payload, ...hostField, ...symbolLimitsField, passes };
  }

  private weightBuffer(value: string, constant: Tensor): Omit<MutableBuffer, 'id' | 'firstStep' | 'lastStep'> {
    const bytes = new Uint8Array(constant.data.buffer, constant.data.byteOffset, constant.data.byteLength).slice();
    const weightOffset = this.weightBytes;
    this.weightChunks.push(bytes);
    this.weightBytes += Math.ceil(bytes.length / 16) * 16;
    if (constant.data.length * dtypeSize(constant.dtype) !== bytes.length) throw new LadonError('E_COMPILE', `weight %${value} has inconsistent data`);
    return { name: value, dtype: constant.dtype, shape: [...constant.shape], kind: 'weight', weightOffset };
  }

  private define(value: string, spec: Omit<MutableBuffer, 'id' | 'firstStep' | 'lastStep'>): number {
    const id = this.buffers.length;
    this.buffers.push({ ...spec, id, firstStep: -1, lastStep: -1 });
    this.byValue.set(value, id);
    return id;
  }
}

