/**
 * The state of one WGSL lowering: the program builder (buffers, views,
 * steps) and the kernels used so far (one entry per distinct kernel name),
 * and how an emitter calls a declared kernel: buffers and uniforms by name
 * (checked against the declaration; see lower/kernel-call.ts) and a launch
 * size.
 */
import { LadonError, nodeLocation, UnsupportedError, type Dim, type Graph, type Node, type WgslKernel, type WgslPayload } from '@ladon/ir';
import type { ProgramBuilder } from '../lower/program-builder.js';
import { emitKernel, kernelSignature, namedArgs, type KernelCall, type KernelDecl } from './kernel.js';

/** A kernel launch: how many work items per axis and how many of them one workgroup covers. */
export interface Launch {
  readonly items: readonly [Dim, Dim, Dim];
  readonly perWorkgroup: readonly [number, number, number];
}

/** The shared state of lowering one graph to WGSL. */
export class WgslLowering {
  private readonly kernels = new Map<string, WgslKernel>();

  constructor(
    readonly graph: Graph,
    readonly program: ProgramBuilder,
  ) {}

  /** The buffer of a value (created on first use). */
  buffer(value: string): number {
    return this.program.buffer(value);
  }

  /** Adds one call of `decl` computing (part of) `node`. */
  call(decl: KernelDecl, node: Node, call: KernelCall, launch: Launch): void {
    this.register(decl);
    const divisor = launch.perWorkgroup.every((size) => size === 1) ? undefined : launch.perWorkgroup;
    this.program.call(kernelSignature(decl), node, namedArgs(decl, call), [...launch.items], divisor);
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

/** An UnsupportedError for what the WGSL kernels cannot do with a node. */
export function unsupported(node: Node, what: string, value?: string): UnsupportedError {
  return new UnsupportedError(`WGSL lowering: ${what}`, nodeLocation(node, value));
}

/** The dispatch of a flat kernel over `count` elements. */
export function flatLaunch(count: Dim, perWorkgroup: number): Launch {
  return { items: [count, 1, 1], perWorkgroup: [perWorkgroup, 1, 1] };
}

