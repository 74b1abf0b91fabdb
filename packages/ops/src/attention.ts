/**
 * `attention(q, k, v, options)`: scaled dot-product attention on tensors,
 * compiled on first call and cached (see shared-cache.ts).
 */
import type { Tensor } from '@ladon/ir';
import type { CacheMode, ProgressListener } from '@ladon/runtime';
import { attentionMaskDims, attentionSignature, buildAttentionGraph, type AttentionDType, type AttentionGraphSpec } from './attention-graph.js';
import { checkAttentionInputs, checkScalarOptions, type AttentionSizes } from './attention-inputs.js';
import { resolveBackend, type OpsBackend } from './backend.js';
import { checkMask, declaredMaskShape } from './mask.js';
import { checkPositions, hasPositions, positionFeeds, positionSpec, type AlibiOption, type RelativeBiasOption, type RotaryOption } from './positions.js';
import { sharedProgramCache } from './shared-cache.js';
import { expectBackendDType } from './validate.js';

/** A mask for attention: bool (true = attend) or float (added to the scaled scores). */
export type AttentionMask = Tensor<'bool'> | Tensor<'f32'> | Tensor<'f16'>;

/** Options of {@link attention} (positions: see positions.ts). */
export interface AttentionOptions {
  /**
   * A mask broadcast right-aligned to [batch, heads, seq, keys] (rank 2 to 4;
   * every axis but the last 1 or full size, the last exactly `keys`). Bool:
   * true = attend. Float (the dtype of q): added to the scaled scores.
   */
  readonly mask?: AttentionMask;
  /** Mask keys after each query's position (query i attends keys 0..i). Default false. */
  readonly causal?: boolean;
  /** The factor on q·kᵀ. Default 1/sqrt(headSize). */
  readonly scale?: number;
  /** When > 0, scores become softcap·tanh(scores/softcap) before the mask. Default 0 (off). */
  readonly softcap?: number;
  /** The key/value head count k and v must have (default: what k has). Must divide the query heads (GQA/MQA). */
  readonly kvHeads?: number;
  /** Also return the softmax weights [batch, heads, seq, keys]. Default false. */
  readonly returnWeights?: boolean;
  /** Rotary embeddings of q and k, applied as the kernel reads them (needs keys = seq). */
  readonly rotary?: RotaryOption;
  /** ALiBi biases computed in the kernel: `true` for the paper's slopes and form, or the details. */
  readonly alibi?: boolean | AlibiOption;
  /** A relative position bias by distance k - q, computed in the kernel (e.g. {@link t5RelativeBias}). */
  readonly relativeBias?: RelativeBiasOption;
  /** Where to run: `auto` (default: WebGPU when available, else wasm), `wasm`, `webgpu` or `reference`. */
  readonly backend?: OpsBackend;
  /** wasm: threads to compute on (the calling thread plus workers); default every core, at most 4. See the runtime's `numThreads`. */
  readonly numThreads?: number;
  /** Where the compiled program is kept: `persistent` (default: a cache directory in Node, IndexedDB in browsers), `memory` or `false`. */
  readonly cache?: CacheMode;
  /** Progress of compiling and loading the program (phases compile, optimise, instantiate), on the call that compiles it. */
  readonly onProgress?: ProgressListener;
  /**
   * What the first calls of a new signature return while its program compiles
   * (in the compiler's worker). `interpreter`: the reference interpreter's
   * result at once, for small work (at most 2^25 multiply-adds) — the default
   * with backend `auto` outside a browser page; `compiled`: wait for the
   * program — the default otherwise.
   */
  readonly firstResult?: 'interpreter' | 'compiled';
}

/** What {@link attention} returns with `returnWeights: true`. */
export interface AttentionWithWeights<D extends AttentionDType = AttentionDType> {
  /** The attention output [batch, heads, seq, valueHeadSize]. */
  readonly output: Tensor<D>;
  /** The softmax weights [batch, heads, seq, keys] (rows of fully masked queries are zeros). */
  readonly weights: Tensor<D>;
}

/**
 * Scaled dot-product attention, softmax(scale·q·kᵀ + mask)·v, per head:
 *
 * - q `[batch, heads, seq, headSize]`, k `[batch, kvHeads, keys, headSize]`,
 *   v `[batch, kvHeads, keys, valueHeadSize]`, all f32 (f16 on the reference
 *   and WebGPU backends); kvHeads must divide heads (grouped-query attention).
 * - Returns `[batch, heads, seq, valueHeadSize]`, or `{ output, weights }`
 *   with `returnWeights: true`.
 *
 * The first call with a new signature compiles a program; later calls with
 * the same signature reuse it. The signature is the backend, the dtype, the
 * head counts and head sizes, the mask's dtype and which of its axes
 * broadcast, and the options — not the batch size or sequence lengths, which
 * stay symbolic in the compiled program. Free the programs with
 * {@link clearCompiledCache}.
 *
 * Wrong inputs reject with typed errors naming the argument, e.g.
 * `ShapeError: attention: k must be [batch, kvHeads, keys, headSize] = [2, 4, *, 16], got [2, 4, 7, 8]`.
 */
export function attention<D extends AttentionDType>(
  q: Tensor<D>,
  k: Tensor<D>,
  v: Tensor<D>,
  options: AttentionOptions & { readonly returnWeights: true },
): Promise<AttentionWithWeights<D>>;
export function attention<D extends AttentionDType>(
  q: Tensor<D>,
  k: Tensor<D>,
  v: Tensor<D>,
  options?: AttentionOptions & { readonly returnWeights?: false },
): Promise<Tensor<D>>;
export function attention<D extends AttentionDType>(
  q: Tensor<D>,
  k: Tensor<D>,
  v: Tensor<D>,
  options?: AttentionOptions,
): Promise<Tensor<D> | AttentionWithWeights<D>>;
export async function attention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {}): Promise<Tensor | AttentionWithWeights> {
  const op = 'attention';
  const sizes = checkAttentionInputs(op, q, k, v, options.kvHeads);
  checkScalarOptions(op, options);
  const { mask } = options;
  if (mask !== undefined) checkMask(op, 'mask', mask, sizes, sizes.dtype);
  checkPositions(op, sizes, options);
  const backend = await resolveBackend(options.backend);
  expectBackendDType(op, 'q', sizes.dtype, backend);
  const spec = attentionSpec(sizes, options);
  const feeds = { q, k, v, ...(mask ? { mask } : {}), ...positionFeeds(sizes, options) };
  const interim = allowsInterim(options, sizes);
  const { numThreads, cache, onProgress } = options;
  const outputs = await sharedProgramCache.run(attentionSignature(backend, spec), { backend, numThreads, cache, onProgress, interim }, () => buildAttentionGraph(spec), feeds);
  const output = outputs.output as Tensor<AttentionDType>;
  return spec.returnWeights ? { output, weights: outputs.weights as Tensor<AttentionDType> } : output;
}

/** The most work (multiply-adds) the interpreter answers while a program compiles: ~0.1–0.3 s of it. */
const INTERIM_WORK_LIMIT = 2 ** 25;

/** Whether this call may be answered by the interpreter while its program compiles (see `firstResult`). */
function allowsInterim(options: AttentionOptions, sizes: AttentionSizes): boolean {
  const inPage = typeof (globalThis as { document?: unknown }).document !== 'undefined';
  const choice = options.firstResult ?? ((options.backend ?? 'auto') === 'auto' && !inPage ? 'interpreter' : 'compiled');
  const work = sizes.batch * sizes.heads * sizes.queries * sizes.keys * (sizes.headSize + sizes.valueHeadSize);
  return choice === 'interpreter' && work <= INTERIM_WORK_LIMIT;
}

function attentionSpec(sizes: AttentionSizes, options: AttentionOptions): AttentionGraphSpec {
  const { mask } = options;
  return {
    dtype: sizes.dtype,
    heads: sizes.heads,
    kvHeads: sizes.kvHeads,
    headSize: sizes.headSize,
    valueHeadSize: sizes.valueHeadSize,
    ...(mask ? { mask: { dtype: mask.dtype, shape: declaredMaskShape(mask, attentionMaskDims(sizes.heads)) } } : {}),
    causal: options.causal ?? false,
    ...(options.scale !== undefined ? { scale: options.scale } : {}),
    ...(options.softcap ? { softcap: options.softcap } : {}),
    returnWeights: options.returnWeights === true,
    withPast: false,
    returnPresent: false,
    ...(hasPositions(options) ? { positions: positionSpec(options) } : {}),
  };
}
