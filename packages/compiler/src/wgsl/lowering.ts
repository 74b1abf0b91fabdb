/**
 * The state of one WGSL lowering: the ProgramBuilder (buffers, steps), the
 * kernels used so far (one entry per distinct kernel name), and helpers the
 * op lowerings share: reading compile-time inputs, emitting a kernel call.
 */
import {
  getOpDef,
  LadonError,
  nodeLabel,
  nodeLocation,
  OpContext,
  toNumbers,
  UnsupportedError,
  type Dim,
  type Graph,
  type Node,
  type ProgramStep,
  type WgslKernel,
  type WgslPayload,
} from '@ladon/ir';
import { ProgramBuilder } from '../lower/program-builder.js';
import { emitKernel, kernelArgs, type KernelCall, type KernelDecl } from './kernel.js';

/** A kernel launch: how many work items per axis and how many of them one workgroup covers. */
export interface Launch {
  readonly items: readonly [Dim, Dim, Dim];
  readonly perWorkgroup: readonly [number, number, number];
}

/** The shared state of lowering one graph to WGSL. */
export class WgslLowering {
  readonly builder: ProgramBuilder;
  private readonly kernels = new Map<string, WgslKernel>();

  constructor(readonly graph: Graph) {
    this.builder = new ProgramBuilder(graph, 'wgsl');
  }

  /** The buffer of a value (created on first use). */
  buffer(value: string): number {
    return this.builder.buffer(value);
  }

  /** Adds one call of `decl` computing (part of) `node`. */
  call(decl: KernelDecl, node: Node, call: KernelCall, launch: Launch): void {
    this.register(decl);
    const divisor = launch.perWorkgroup.every((size) => size === 1) ? undefined : launch.perWorkgroup;
    const dispatch: ProgramStep['dispatch'] = [...launch.items];
    this.builder.step(decl.name, node.op, nodeLabel(node), kernelArgs(decl, call), dispatch, divisor);
  }

  /** The attribute reader of a node (defaults from the op's schema). */
  attrs(node: Node): OpContext {
    return new OpContext(node, getOpDef(node.op));
  }

  /** The contents of a compile-time input (a constant or a value known from the shapes), as dims. */
  staticValues(node: Node, slot: number): Dim[] | undefined {
    const name = node.inputs[slot];
    if (!name) return undefined;
    const constant = this.builder.constant(name);
    if (constant) return toNumbers(constant);
    const known = this.graph.values.get(name)?.known;
    return known ? [...known] : undefined;
  }

  /** Like {@link staticValues} but every entry must be a number; throws naming the node otherwise. */
  staticNumbers(node: Node, slot: number, what: string): number[] | undefined {
    const values = this.staticValues(node, slot);
    if (values === undefined) return undefined;
    if (values.some((value) => typeof value !== 'number')) {
      throw new UnsupportedError(`${what} %${node.inputs[slot]} must be known when compiling for WGSL, got [${values.join(', ')}]`, nodeLocation(node));
    }
    return values as number[];
  }

  /** The payload of every kernel used. */
  payload(): WgslPayload {
    return { kernels: [...this.kernels.values()] };
  }

  private register(decl: KernelDecl): void {
    const kernel = emitKernel(decl);
    const existing = this.kernels.get(decl.name);
    if (existing && existing.source !== kernel.source) throw new LadonError('E_INTERNAL', `two different kernels are named ${decl.name}`);
    if (!existing) this.kernels.set(decl.name, kernel);
  }
}

/** An UnsupportedError for a node the WGSL lowering cannot handle. */
export function unsupported(node: Node, what: string): UnsupportedError {
  return new UnsupportedError(`WGSL lowering: ${what}`, nodeLocation(node));
}
