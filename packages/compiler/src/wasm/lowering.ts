/**
 * The state of one wasm lowering: the program builder (buffers, views,
 * steps) and the kernel set, and how an emitter calls a kernel — by name
 * with its arguments by parameter name (checked against the kernel's
 * parameters; see lower/kernel-call.ts).
 */
import { nodeLocation, productOfDims, UnsupportedError, type DType, type Graph, type Node, type StepArg, type StepSplit } from '@ladon/ir';
import type { KernelArgs } from '../lower/kernel-call.js';
import { f16ToF32, f32ToF16 } from './kernels/convert-f16.js';
import type { ProgramBuilder } from '../lower/program-builder.js';
import type { KernelSet, KernelSpec } from './kernel-set.js';

/** The shared state of lowering one graph to wasm. */
export class WasmLowering {
  constructor(
    readonly graph: Graph,
    readonly program: ProgramBuilder,
    readonly kernels: KernelSet,
  ) {}

  /** The buffer of a value (created on first use). */
  buffer(value: string): number {
    return this.program.buffer(value);
  }

  /** Requests `kernel` and adds a step calling it for `node`; with `split`, a split kernel the runtime may run in parts (lower/split.ts). */
  call(kernel: KernelSpec, node: Node, args: KernelArgs, split?: StepSplit): void {
    this.program.call(this.kernels.request(kernel), node, args, undefined, undefined, split);
  }

  /**
   * Runs `emit` for an f32 kernel on f16 data: each f16 tensor among
   * `inputs` is converted into an f32 scratch copy first, each f16 tensor
   * among `outputs` is computed into one and rounded back (nearest even)
   * after — the reference interpreter's contract for f16 (compute in f32,
   * round once). `emit` gets each value's buffer: its f32 stand-in, or its
   * own buffer when it is not f16. Empty names (omitted values) are skipped.
   */
  inF32(node: Node, inputs: readonly string[], outputs: readonly string[], emit: (buffer: (value: string) => number) => void): void {
    const halves = (values: readonly string[]) => [...new Set(values.filter((value) => value !== '' && this.graph.typeOf(value).dtype === 'f16'))];
    const copies = new Map<string, number>();
    const copyOf = (value: string): number => {
      copies.set(value, this.program.scratch(`${value}_f32`, 'f32', this.graph.typeOf(value).shape));
      return copies.get(value)!;
    };
    for (const value of halves(inputs)) this.call(f16ToF32, node, { src: { buffer: this.buffer(value) }, dst: { buffer: copyOf(value) }, count: this.elementCount(value) });
    const halfOutputs = halves(outputs);
    halfOutputs.forEach(copyOf);
    emit((value) => copies.get(value) ?? this.buffer(value));
    for (const value of halfOutputs) this.call(f32ToF16, node, { src: { buffer: copies.get(value)! }, dst: { buffer: this.buffer(value) }, count: this.elementCount(value) });
  }

  /** The number of elements of `value`, as a kernel argument. */
  elementCount(value: string): StepArg {
    return { dim: productOfDims(this.graph.typeOf(value).shape) };
  }

  /** The dtype of `value`; an UnsupportedError naming the node when it is not one of `allowed`. */
  expectDType(node: Node, value: string, allowed: readonly DType[], role = 'operand'): DType {
    const dtype = this.graph.typeOf(value).dtype;
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
