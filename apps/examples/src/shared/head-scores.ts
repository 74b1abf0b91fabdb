/**
 * What each attention head does, measured on its attention probabilities
 * `attn[b, h, i, j]` (query i, key j; causal, so j <= i), with the
 * definitions of the induction-2l README:
 *
 * - previous-token: mean attention from position i to i-1;
 * - induction: mean attention from each induction pair's query to its key;
 * - BOS: mean attention from position i to position 0;
 * - self: mean attention from i to i;
 *
 * each over the query positions i >= 1 (position 0 can only attend to itself).
 *
 * Browser-safe.
 */
import type { Tensor } from '@ladon/ir';
import type { InductionPair } from './sequences.js';

/** The scores of one head, each a mean attention probability in [0, 1]. */
export interface HeadScores {
  readonly layer: number;
  readonly head: number;
  readonly previousToken: number;
  readonly induction: number;
  readonly bos: number;
  readonly self: number;
}

/** A head's role as the scores show it. */
export type HeadRole = 'induction' | 'previous-token' | 'self' | 'partly previous-token' | 'partly self' | 'mixed';

/** A score at or above this makes a head's role; between {@link LEANING_SCORE} and this, the head leans that way. */
export const ROLE_SCORE = 0.7;
/** The lowest score that still names what a head leans to. */
export const LEANING_SCORE = 0.3;

class MeanAccumulator {
  private sum = 0;
  private count = 0;

  add(value: number): void {
    this.sum += value;
    this.count++;
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }
}

function scoreOneHead(layer: number, head: number, attention: Tensor, inductionPairs: readonly (readonly InductionPair[])[]): HeadScores {
  const [batch, heads, seq] = attention.shape;
  const data = attention.data as Float32Array;
  const [previous, induction, bos, self] = [new MeanAccumulator(), new MeanAccumulator(), new MeanAccumulator(), new MeanAccumulator()];
  for (let b = 0; b < batch; b++) {
    const base = (b * heads + head) * seq * seq;
    const at = (query: number, key: number): number => data[base + query * seq + key];
    for (let i = 1; i < seq; i++) {
      previous.add(at(i, i - 1));
      bos.add(at(i, 0));
      self.add(at(i, i));
    }
    for (const pair of inductionPairs[b] ?? []) if (pair.key <= pair.query && pair.query < seq) induction.add(at(pair.query, pair.key));
  }
  return { layer, head, previousToken: previous.mean, induction: induction.mean, bos: bos.mean, self: self.mean };
}

/**
 * Scores every head of one layer. `attention` is f32 [batch, heads, seq, seq];
 * `inductionPairs[b]` lists the pairs of batch row b.
 */
export function scoreHeads(layer: number, attention: Tensor, inductionPairs: readonly (readonly InductionPair[])[]): HeadScores[] {
  if (attention.shape.length !== 4 || attention.shape[2] !== attention.shape[3]) {
    throw new Error(`attention probabilities must be [batch, heads, seq, seq]; got [${attention.shape.join(', ')}]`);
  }
  return Array.from({ length: attention.shape[1] }, (_, head) => scoreOneHead(layer, head, attention, inductionPairs));
}

/** Names a head's role from its scores (thresholds {@link ROLE_SCORE} and {@link LEANING_SCORE}). */
export function headRole(scores: HeadScores): HeadRole {
  if (scores.induction >= ROLE_SCORE) return 'induction';
  if (scores.previousToken >= ROLE_SCORE) return 'previous-token';
  if (scores.self >= ROLE_SCORE) return 'self';
  if (Math.max(scores.previousToken, scores.self) < LEANING_SCORE) return 'mixed';
  return scores.previousToken >= scores.self ? 'partly previous-token' : 'partly self';
}

/** A head's short name, e.g. `L1H3`. */
export function headName(scores: Pick<HeadScores, 'layer' | 'head'>): string {
  return `L${scores.layer}H${scores.head}`;
}
