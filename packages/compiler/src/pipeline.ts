/**
 * The default pipeline: canonicalize, fuse, clean up. One line a pass.
 */
import type { Pass } from './pass.js';
import { absorbHeadLayoutPass } from './passes/attention/absorb-heads.js';
import { fuseAttentionPass } from './passes/attention/fuse-attention.js';
import { fuseRotaryPass } from './passes/attention/fuse-rotary.js';
import { mergeHeadLoopsPass } from './passes/attention/merge-head-loops.js';
import { packProjectionsPass } from './passes/attention/pack-projections.js';
import { fuseCbamPass } from './passes/cbam/fuse-cbam.js';
import { composeTransposesPass } from './passes/compose-transposes.js';
import { csePass } from './passes/cse.js';
import { dcePass } from './passes/dce.js';
import { divToMulPass } from './passes/div-to-mul.js';
import { einsumToMatMulPass } from './passes/einsum-to-matmul.js';
import { foldBatchNormPass } from './passes/fold-batch-norm.js';
import { foldConstantsPass } from './passes/fold-constants.js';
import { foldShapesPass } from './passes/fold-shapes.js';
import { fuseGeluPass } from './passes/fuse-gelu.js';
import { fuseLayerNormPass } from './passes/fuse-layer-norm.js';
import { linearPass } from './passes/linear.js';
import { transposeIntoMatMulPass } from './passes/transpose-into-matmul.js';

/** The passes `compileGraph` runs, in order. */
export const DEFAULT_PIPELINE: readonly Pass[] = [
  foldConstantsPass, // Constant nodes become initializers; constant subgraphs are evaluated
  foldShapesPass, // Shape -> Gather -> Concat chains resolve from the (symbolic) shapes
  foldConstantsPass, // what the shapes made constant (a scale computed from a static size) folds
  dcePass, // drop what folding left unused
  csePass, // merge duplicate nodes and identical constants
  divToMulPass, // x / c -> x * (1/c): one form of scaling
  foldBatchNormPass, // inference BatchNormalization -> into the Conv before it, or a per-channel multiply-add
  einsumToMatMulPass, // attention-style Einsum -> MatMul (+ Transpose)
  composeTransposesPass, // Transpose chains -> one Transpose (or none)
  fuseLayerNormPass, // decomposed LayerNorm -> LayerNormalization
  fuseGeluPass, // decomposed GELU -> Gelu
  fuseAttentionPass, // QKᵀ·scale -> mask -> softmax -> ·V  ->  Attention
  csePass, // per-head fusions built the same masks: one value each
  mergeHeadLoopsPass, // per-head attentions over slices, concatenated -> one multi-head Attention
  fuseRotaryPass, // rotary embeddings of Q and K -> the Attention's rotary tables (applied as Q and K load)
  absorbHeadLayoutPass, // head split/merge reshapes -> the 3-D Attention layout
  linearPass, // Gemm, MatMul by a constant weight (+ bias) -> Linear
  fuseCbamPass, // channel / spatial attention gates multiplied into a feature map -> CBAM
  packProjectionsPass, // Q/K/V projections of one input -> one packed Linear, sliced in place
  transposeIntoMatMulPass, // MatMul(a, Transpose(b)) -> FusedMatMul(transB)
  csePass, // merge what fusion made identical
  dcePass, // final cleanup
];
