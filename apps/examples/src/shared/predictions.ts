/** Next-token predictions from logits. Browser-safe. */
import type { Tensor } from '@ladon/ir';

/**
 * `argmax(logits[b, t, :])` for every position t of batch row `row`:
 * the model's prediction of token t+1.
 */
export function predictNextTokens(logits: Tensor, row: number): number[] {
  const [, seq, vocabularySize] = logits.shape;
  const data = logits.data as Float32Array;
  return Array.from({ length: seq }, (_, position) => {
    const start = (row * seq + position) * vocabularySize;
    let best = 0;
    for (let id = 1; id < vocabularySize; id++) if (data[start + id] > data[start + best]) best = id;
    return best;
  });
}
