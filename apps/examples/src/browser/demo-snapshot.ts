/**
 * What the page exposes as `window.ladonDemo` after each run, so tests (and
 * curious people in the console) can read the numbers behind the pictures.
 */
import type { HeadScores } from '../shared/head-scores.js';
import type { DemoBackend } from './demo-model.js';

/** The page's state, as plain data. */
export interface DemoSnapshot {
  readonly status: 'loading' | 'ready' | 'error';
  readonly error?: string;
  /** The backend that ran the model. */
  readonly backend?: DemoBackend;
  /** CPU threads the session computes on (wasm; 1 on WebGPU). */
  readonly threads?: number;
  /** `crossOriginIsolated` of the page (shared memory for threads needs it). */
  readonly crossOriginIsolated?: boolean;
  /** Why WebGPU is not used, when it is not. */
  readonly fallbackReason?: string;
  /** Fetching the program and creating the session, in milliseconds. */
  readonly loadMs?: number;
  /** The latest run, in milliseconds. */
  readonly runMs?: number;
  /** How many runs have finished. */
  readonly runs: number;
  /** The input ids of the latest run, BOS first. */
  readonly ids: readonly number[];
  /** attn_l0 / attn_l1 of the latest run: batch row 0, flattened [heads, seq, seq]. */
  readonly attention: { readonly attn_l0: readonly number[]; readonly attn_l1: readonly number[] };
  /** argmax(logits[0, t, :]) for every position t. */
  readonly predictions: readonly number[];
  readonly heads: readonly HeadScores[];
  readonly selected: { readonly layer: number; readonly head: number };
}

declare global {
  interface Window {
    /** The demo's latest state (see {@link DemoSnapshot}). */
    ladonDemo?: DemoSnapshot;
  }
}
