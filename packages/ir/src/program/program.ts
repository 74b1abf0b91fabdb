/**
 * The compiled artifact: plain data that the compiler writes and the runtime
 * reads. A Program lists tensor buffers (with symbolic sizes and liveness),
 * the steps that run kernels on them, the weights, and the target's payload
 * (WebAssembly modules or WGSL shaders). It serialises (serialize.ts), so it
 * can be compiled ahead of time and shipped without the compiler.
 *
 * Sizes stay symbolic (`seq`, `batch*seq`): the runtime binds the symbols
 * from the input shapes, evaluates every size, and lays out memory for that
 * binding. One program serves every size within its limits.
 */
import type { Dim } from '../dim.js';
import type { DType } from '../dtype.js';
import type { HostProgram } from './host-program.js';

/** What a buffer holds. */
export type BufferKind = 'input' | 'output' | 'weight' | 'intermediate' | 'scratch';

/** One tensor buffer of the program. */
export interface BufferSpec {
  readonly id: number;
  /** The IR value name (or a scratch name), for messages and traces. */
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly Dim[];
  readonly kind: BufferKind;
  /** For weights: byte offset of the data in `Program.weights`. */
  readonly weightOffset?: number;
  /** This buffer is a view of another (same bytes, other shape): reshapes cost nothing. */
  readonly aliasOf?: number;
  /** For small integer tensors known from the shapes alone: the runtime writes these values. */
  readonly known?: readonly Dim[];
  /**
   * Scratch with one copy per thread (wasm): the runtime lays out as many
   * copies as the session has threads, and a split step's argument points
   * at the copy of the part that runs it.
   */
  readonly perThread?: boolean;
  /** The host computes this value from the feeds (see {@link Program.host}) and the runtime writes it. */
  readonly host?: boolean;
  /** The first and last step that touch the buffer (liveness, for memory planning). */
  readonly firstStep: number;
  readonly lastStep: number;
}

/**
 * One argument of a kernel call. A buffer argument passes the buffer's
 * address, plus `byteOffset` when given (a kernel reading one slice of a
 * packed tensor in place; wasm only).
 */
export type StepArg =
  | { readonly buffer: number; readonly byteOffset?: Dim }
  | { readonly dim: Dim }
  | { readonly int: number }
  | { readonly float: number };

/**
 * How a step's work may be split over threads (wasm), chosen at compile
 * time: the kernel takes two more arguments after its own,
 * {@link SPLIT_PARAMS} `part` and `parts`, and does part `part` of `units` work units (which units, and in
 * what order, is the kernel's: attention interleaves query tiles so causal
 * work balances; GEMMs take row blocks). The runtime picks `parts` from its
 * threads and the work (`units · unitCost` multiply-adds, so small steps
 * stay on one thread), and passes part 0 of 1 when it runs the step alone.
 */
export interface StepSplit {
  readonly units: Dim;
  /** Work per unit in multiply-adds (or element operations), for the runtime's cut-off. */
  readonly unitCost: Dim;
}

/** The parameters a split kernel takes after its own, which the runtime passes (not the step): its part and the number of parts. */
export const SPLIT_PARAMS = ['part', 'parts'] as const;

/** One kernel invocation. */
export interface ProgramStep {
  /** The kernel's export (wasm) or entry (WGSL) name. */
  readonly kernel: string;
  /** The IR op and node this step computes, for traces and errors. */
  readonly op: string;
  readonly node: string;
  readonly args: readonly StepArg[];
  /** wasm only: the step's kernel can run in parts on several threads. */
  readonly split?: StepSplit;
  /** WGSL only: the dispatch size in workgroups (x, y, z), possibly symbolic. */
  readonly dispatch?: readonly [Dim, Dim, Dim];
  /**
   * WGSL only: when set, `dispatch` counts work items rather than workgroups,
   * and the runtime launches ceil(dispatch[i] / dispatchDivisor[i]) workgroups
   * (sizes like ceil(seq / 16) are not polynomials in the symbols).
   */
  readonly dispatchDivisor?: readonly [number, number, number];
}

/** A named graph input or output and its buffer. */
export interface ProgramTensor {
  readonly name: string;
  readonly buffer: number;
}

/** A wasm kernel's parameters (all i32: pointers and sizes), in call order. */
export interface WasmKernelSignature {
  readonly name: string;
  readonly params: readonly string[];
}

/** The WebAssembly payload. */
export interface WasmPayload {
  /** The module built with plain 128-bit SIMD (runs everywhere wasm SIMD does). */
  readonly simd: Uint8Array;
  /** The same kernels with relaxed-SIMD FMA, used when the host supports it. */
  readonly relaxed?: Uint8Array;
  /** Bytes the kernels need below the weights (stack, constants). */
  readonly reservedBytes: number;
  /** Every exported kernel's parameters, so a loader can check each step's arguments by name (absent in programs from before this field). */
  readonly kernels?: readonly WasmKernelSignature[];
}

/** One WGSL kernel. */
export interface WgslKernel {
  readonly name: string;
  readonly source: string;
  readonly entryPoint: string;
  /** Storage bindings in binding order: which step argument each reads/writes. */
  readonly bindings: readonly { readonly name: string; readonly access: 'read' | 'read_write' }[];
  /** Uniform fields in packing order (each a 32-bit int or float). */
  readonly uniforms: readonly { readonly name: string; readonly type: 'u32' | 'i32' | 'f32' }[];
  /** The entry point's `@workgroup_size`, so the runtime can check it against the adapter's limits. */
  readonly workgroupSize?: readonly [number, number, number];
  /** Bytes of `var<workgroup>` memory the kernel declares (checked against the adapter's limit). */
  readonly workgroupStorageBytes?: number;
  /**
   * The kernel loops over its work with a grid stride on the x axis, so the
   * runtime may launch fewer x workgroups than `dispatch` asks (at most the
   * adapter's maxComputeWorkgroupsPerDimension).
   */
  readonly gridStride?: boolean;
}

/** The WGSL payload. */
export interface WgslPayload {
  readonly kernels: readonly WgslKernel[];
}

/** The compiled program. */
export interface Program {
  readonly format: 'ladon-program';
  readonly version: 1;
  readonly name: string;
  readonly target: 'wasm' | 'wgsl';
  readonly inputs: readonly ProgramTensor[];
  readonly outputs: readonly ProgramTensor[];
  readonly buffers: readonly BufferSpec[];
  readonly steps: readonly ProgramStep[];
  /** Every weight's bytes, concatenated (each weight buffer has its `weightOffset`). */
  readonly weights: Uint8Array;
  readonly wasm?: WasmPayload;
  readonly wgsl?: WgslPayload;
  /**
   * What the runtime evaluates on the host when the feeds arrive: values
   * that decide sizes and come from the feeds, and the symbols they bind
   * (absent when every size follows from the input shapes).
   */
  readonly host?: HostProgram;
  /** Upper bounds for symbols, when the compiler had to assume some (e.g. a positional table of 64 rows). */
  readonly symbolLimits?: Readonly<Record<string, number>>;
  /** What compiled it: the pass names, for reports. */
  readonly passes: readonly string[];
}

/** The current program format version. */
export const PROGRAM_VERSION = 1;
