/**
 * The state of one wasm lowering: the program builder (buffers, views,
 * steps) and the kernel set, and how an emitter calls a kernel — by name
 * with its arguments by parameter name (checked against the kernel's
 * parameters; see lower/kernel-call.ts).
 */
import { nodeLocation, UnsupportedError, type DType, type Graph, type Node, type StepSplit } from '@ladon/ir';
import type { KernelArgs } from '../lower/kernel-call.js';
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
