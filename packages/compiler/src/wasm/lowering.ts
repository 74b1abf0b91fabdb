/**
 * The state of one wasm lowering: the program builder (buffers, views,
 * steps) and the kernel set, and how an emitter calls a kernel — by name
 * with its arguments by parameter name (checked against the kernel's
 * parameters; see lower/kernel-call.ts). Kernels that compute in f32 run
 * on f16 tensors through f32 stand-ins ({@link WasmLowering.inF32}).
 */
import { f16ArrayToF32, nodeLocation, productOfDims, UnsupportedError, type DType, type Graph, type Node, type StepArg, type StepSplit } from '@ladon/ir';
import type { KernelArgs } from '../lower/kernel-call.js';
import type { ProgramBuilder } from '../lower/program-builder.js';
import type { KernelSet, KernelSpec } from './kernel-set.js';
import { f16ToF32, f32ToF16 } from './kernels/convert-f16.js';

/** The shared state of lowering one graph to wasm. */
export class WasmLowering {
  /** f32 buffers standing in for f16 values while a node's kernels run in f32. */
  private readonly standIns = new Map<string, number>();

  constructor(
    readonly graph: Graph,
    readonly program: ProgramBuilder,
    readonly kernels: KernelSet,
  ) {}

  /** The buffer of a value (created on first use; its f32 stand-in while one is active). */
  buffer(value: string): number {
    return this.standIns.get(value) ?? this.program.buffer(value);
  }

  /** The dtype the kernels see for `value`: f32 while an f16 value has an f32 stand-in. */
  dtypeOf(value: string): DType {
    return this.standIns.has(value) ? 'f32' : this.graph.typeOf(value).dtype;
  }

  /**
   * Emits `node` with its f16 tensors computed in f32: each f16 input gets
   * an f32 copy (converted at compile time for a constant, by a conversion
   * step otherwise), each f16 output an f32 buffer rounded back to f16 once
   * after `emit` (nearest even) — the reference interpreter's contract for
   * f16. While `emit` runs, {@link buffer} and {@link dtypeOf} answer for
   * the stand-ins.
   */
  inF32(node: Node, emit: () => void): void {
    const isHalf = (value: string): boolean => Boolean(value) && this.graph.typeOf(value).dtype === 'f16';
    const inputs = [...new Set(node.inputs.filter(isHalf))];
    const outputs = node.outputs.filter(isHalf);
    for (const value of inputs) this.standIns.set(value, this.f32Copy(node, value));
    for (const value of outputs) this.standIns.set(value, this.program.scratch(`${value}_f32`, 'f32', this.graph.typeOf(value).shape));
    const converted = outputs.map((value) => [value, this.standIns.get(value)!] as const);
    try {
      emit();
    } finally {
      for (const value of [...inputs, ...outputs]) this.standIns.delete(value);
    }
    for (const [value, source] of converted) this.call(f32ToF16, node, { src: { buffer: source }, dst: { buffer: this.buffer(value) }, count: this.elementCount(value) });
  }

  /** An f32 copy of the f16 value: a derived weight for a constant, else a scratch buffer filled by a conversion step. */
  private f32Copy(node: Node, value: string): number {
    const constant = this.program.constant(value);
    if (constant) return this.program.derivedWeight(`${value}:f32`, { dtype: 'f32', shape: constant.shape, data: f16ArrayToF32(constant.data as Uint16Array) });
    const type = this.graph.typeOf(value);
    const copy = this.program.scratch(`${value}_f32`, 'f32', type.shape);
    this.call(f16ToF32, node, { src: { buffer: this.program.buffer(value) }, dst: { buffer: copy }, count: this.elementCount(value) });
    return copy;
  }

  /** The number of elements of `value`, as a kernel argument. */
  elementCount(value: string): StepArg {
    return { dim: productOfDims(this.graph.typeOf(value).shape) };
  }

  /** Requests `kernel` and adds a step calling it for `node`; with `split`, a split kernel the runtime may run in parts (lower/split.ts). */
  call(kernel: KernelSpec, node: Node, args: KernelArgs, split?: StepSplit): void {
    this.program.call(this.kernels.request(kernel), node, args, undefined, undefined, split);
  }

  /** The dtype of `value`; an UnsupportedError naming the node when it is not one of `allowed`. */
  expectDType(node: Node, value: string, allowed: readonly DType[], role = 'operand'): DType {
    const dtype = this.dtypeOf(value);
    if (allowed.includes(dtype)) return dtype;
    throw new UnsupportedError(`the wasm backend does not support ${dtype} for the ${role} %${value} of ${node.op} (supported: ${allowed.join(', ')})`, nodeLocation(node, value));
  }
}

/** An UnsupportedError for what the wasm kernels cannot do with a node. */
export function unsupported(node: Node, message: string, value?: string): UnsupportedError {
  return new UnsupportedError(`the wasm backend cannot lower ${node.op}: ${message}`, nodeLocation(node, value));
}

/** A buffer argument. */
export function bufferArg(lowering: WasmLowering, value: string): { buffer: number } {
  return { buffer: lowering.buffer(value) };
}
