/**
 * What a split kernel (one whose step carries a `split`, lower/split.ts)
 * shares: its last two parameters, `part` and `parts` (the runtime passes
 * 0 and 1 when it runs the step alone), and the share of rows a part takes.
 */
import { SPLIT_PARAMS } from '@ladon/ir';
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';

/** The trailing parameters of every split kernel (the runtime passes them). */
export const PART_PARAMS = SPLIT_PARAMS;

/**
 * Statements that narrow a row range to this part's share: contiguous
 * blocks of whole `multiple`-row tiles, part p taking rows
 * [p·chunk, (p+1)·chunk) ∩ [0, rows) with chunk = ceil(rows / parts)
 * rounded up to `multiple`. Sets `start` to the first row and `rows` (a
 * parameter or local) to the share's row count (0 when the part has none).
 */
export function rowShare(f: FunctionBuilder, rows: Local, start: Local, multiple: number): Expr[] {
  const i = f.i32;
  const chunk = f.temp('i32');
  const end = f.temp('i32');
  return [
    chunk.set(i.divS(i.add(rows.get(), i.sub(f.get('parts'), i.const(1))), f.get('parts'))),
    chunk.set(i.and(i.add(chunk.get(), i.const(multiple - 1)), i.const(-multiple))),
    start.set(i.min(i.mul(f.get('part'), chunk.get()), rows.get())),
    end.set(i.min(i.add(start.get(), chunk.get()), rows.get())),
    rows.set(i.sub(end.get(), start.get())),
  ];
}
