/**
 * The position cases of the benchmark (measured by position-bench.ts):
 * ALiBi and a relative bias at S = 4096, H = 12, causal and not, and
 * LLaMA-style rotary with GQA 12/4 at S = 1024, each with the target of
 * 1.5× onnxruntime-web (and, for the biases, scratch under 64 MiB).
 */
import type { PositionSpec } from './position-graphs.js';

/** One position case. */
export interface PositionCase {
  readonly id: string;
  readonly label: string;
  readonly spec: PositionSpec;
  readonly rounds: number;
  readonly warmups: number;
  /** The target speed-up over onnxruntime-web. */
  readonly targetVsOrt: number;
  /** Ladon's scratch must stay below this many bytes (bias cases). */
  readonly scratchTargetBytes?: number;
}

function positionCase(position: PositionSpec['position'], seq: number, causal: boolean, rounds: number, heads = 12, kvHeads = heads): PositionCase {
  const spec: PositionSpec = { kind: 'position', position, heads, kvHeads, seq, headSize: 64, causal };
  const what = position === 'alibi' ? 'ALiBi' : position === 'relative' ? 'relative bias' : `rotary GQA ${heads}/${kvHeads}`;
  return {
    id: `${position}${causal ? '-causal' : ''}-s${seq}`,
    label: `${what}${causal ? ' causal' : ''} S=${seq} H=${heads} D=64`,
    spec,
    rounds,
    warmups: 1,
    targetVsOrt: 1.5,
    ...(position === 'rotary-gqa' ? {} : { scratchTargetBytes: 64 * 2 ** 20 }),
  };
}

/** The position cases of the full run (about five minutes: onnxruntime-web's first run at S = 4096 alone takes ~45 s). */
export const POSITION_CASES: readonly PositionCase[] = [
  positionCase('alibi', 4096, false, 3),
  positionCase('alibi', 4096, true, 3),
  positionCase('relative', 4096, false, 3),
  positionCase('relative', 4096, true, 3),
  positionCase('rotary-gqa', 1024, true, 8, 12, 4),
];

/** The position cases of `--quick`. */
export const QUICK_POSITION_CASES: readonly PositionCase[] = [positionCase('alibi', 256, true, 2, 4), positionCase('relative', 256, false, 2, 4), positionCase('rotary-gqa', 128, true, 2, 4, 2)];
