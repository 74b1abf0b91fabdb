/**
 * What an op's wasm lowering sees: the graph, the node, the program builder
 * (buffers, views, steps), and the kernel set.
 */
import { UnsupportedError, nodeLabel, nodeLocation, type Dim, type Graph, type Node, type StepArg } from '@ladon/ir';
import type { ProgramBuilder } from '../lower/program-builder.js';
import type { KernelSet } from './kernel-set.js';

/** The context of one node's lowering. */
export interface LoweringContext {
  readonly graph: Graph;
  readonly node: Node;
  readonly program: ProgramBuilder;
  readonly kernels: KernelSet;
}

/** Lowers one node: adds views or kernel steps for it. */
export type OpLowering = (ctx: LoweringContext) => void;

/** A buffer argument for `value`. */
export function bufferArg(ctx: LoweringContext, value: string): StepArg {
  return { buffer: ctx.program.buffer(value) };
}

/** A size argument. */
export function dimArg(dim: Dim): StepArg {
  return { dim };
}

/** Adds a step for `kernel` on behalf of the node being lowered. */
export function addStep(ctx: LoweringContext, kernel: string, args: readonly StepArg[]): void {
  ctx.program.step(kernel, ctx.node.op, nodeLabel(ctx.node), args);
}

/** A static number for a dim the kernel must bake in, or a typed error naming the node. */
export function staticDim(ctx: LoweringContext, dim: Dim, what: string): number {
  if (typeof dim === 'number') return dim;
  throw new UnsupportedError(`the wasm backend needs ${what} to be static, but it is '${dim}'`, nodeLocation(ctx.node));
}

/** Row-major strides (in elements) of a symbolic shape. */
export function symbolicStrides(shape: readonly Dim[], multiply: (a: Dim, b: Dim) => Dim): Dim[] {
  const strides: Dim[] = new Array<Dim>(shape.length);
  let stride: Dim = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride = multiply(stride, shape[axis]);
  }
  return strides;
}
