/**
 * What the fused CBAM kernel (cbam.ts, cbam-spatial.ts) bakes in, the
 * locals its passes share, and the gate rendered from the plan's
 * expression (the IR's Sigmoid) four lanes at a time.
 */
import type { ScalarExpr } from '@ladon/ir';
import { LadonError } from '@ladon/ir';
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import { vectorForm } from './elementwise-vector.js';

/** What the CBAM kernel bakes in. */
export interface CbamKernelConfig {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  /** The MLP's hidden width, 0 without channel attention. */
  readonly hidden: number;
  /** The spatial kernel size, 0 without spatial attention. */
  readonly kernel: number;
  readonly hasB1: boolean;
  readonly hasB2: boolean;
  readonly hasSpatialBias: boolean;
  readonly writeChannelMap: boolean;
  readonly writeSpatialMap: boolean;
  /** The gate's expression of input 0 (the IR's Sigmoid). */
  readonly gate: ScalarExpr;
}

/** The locals the passes share. */
export interface CbamLocals {
  readonly image: Local;
  readonly output: Local;
  /** Per-image pointers: the channel gates (or 0 without channel attention) and the spatial gates. */
  readonly ca: Local;
  readonly sa: Local;
  readonly cursor: Local;
  readonly channel: Local;
  readonly acc: readonly Local[];
  readonly gateOut: Local;
}

/** Statements setting `out` to the gate of four lanes. */
export function gateInto(f: FunctionBuilder, config: CbamKernelConfig, out: Local, logits: Expr): Expr[] {
  const form = vectorForm(config.gate);
  if (!form) throw new LadonError('E_INTERNAL', 'the CBAM gate has no vector form');
  return form(f, out, [logits]);
}

