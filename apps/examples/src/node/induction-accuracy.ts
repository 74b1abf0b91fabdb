/**
 * The induction task's functional check: the model's next-token argmax on
 * eval.json's held-out sequences, scored on repeated and non-repeated
 * targets as the induction-2l README defines them.
 */
import type { Tensor } from '@ladon/ir';
import { predictNextTokens } from '../shared/predictions.js';
import type { EvalSequence } from './shared-data.js';

/** Hits over targets. */
export interface Score {
  readonly correct: number;
  readonly total: number;
}

/** The accuracy of one run over eval.json. */
export interface TaskAccuracy {
  /** Targets j in dst_start+1 .. dst_start+length-1 (predictable by induction). */
  readonly repeated: Score;
  /** Every other target j in 1..T-1. */
  readonly nonRepeated: Score;
  /** The first predictable target of each repeat (j = dst_start + 1). */
  readonly firstRepeated: Score;
  /** Targets where the argmax equals torch's (`torch_pred`). */
  readonly agreesWithTorch: Score;
}

/** `correct / total` as a percentage with two decimals. */
export function percent(score: Score): string {
  return `${((100 * score.correct) / Math.max(1, score.total)).toFixed(2)}%`;
}

/** Scores the predictions of `logits` ([sequences, T, vocabulary]) on `sequences`. */
export function scoreTask(logits: Tensor, sequences: readonly EvalSequence[]): TaskAccuracy {
  const counts = { repeated: [0, 0], nonRepeated: [0, 0], firstRepeated: [0, 0], agreesWithTorch: [0, 0] };
  const count = (key: keyof typeof counts, hit: boolean): void => {
    counts[key][0] += hit ? 1 : 0;
    counts[key][1] += 1;
  };
  sequences.forEach((sequence, row) => {
    const predicted = predictNextTokens(logits, row);
    const repeated = new Set(sequence.repeated_targets);
    for (let target = 1; target < sequence.ids.length; target++) {
      const hit = predicted[target - 1] === sequence.ids[target];
      count(repeated.has(target) ? 'repeated' : 'nonRepeated', hit);
      if (target === sequence.dst_start + 1) count('firstRepeated', hit);
      count('agreesWithTorch', predicted[target - 1] === sequence.torch_pred[target - 1]);
    }
  });
  const score = ([correct, total]: number[]): Score => ({ correct, total });
  return {
    repeated: score(counts.repeated),
    nonRepeated: score(counts.nonRepeated),
    firstRepeated: score(counts.firstRepeated),
    agreesWithTorch: score(counts.agreesWithTorch),
  };
}
