/**
 * Which keys a query row may attend, as one contiguous range [lo, hi]
 * (ONNX Attention semantics). With p = offset + row:
 *   causal: j <= p;  windows: p - left <= j <= p + right;
 *   nonpad: j < nonpad[b];  a mask narrower than the keys: j < maskWidth;
 * offset = past length with a KV cache, nonpad[b] - Sq with nonpad alone,
 * else 0 (top-left aligned). lo > hi means the row attends nothing (its
 * output is 0). The mask tensor's own values are applied per key on top.
 */
import type { Expr, FunctionBuilder } from '../binaryen-module.js';
import type { AttentionConfig } from './attention-config.js';

/** Declares `validLen` and `offset`; returns statements that set them for batch `b`. */
export function batchLimits(f: FunctionBuilder, config: AttentionConfig): Expr[] {
  const i = f.i32;
  const validLen = f.local('validLen', 'i32');
  const offset = f.local('offset', 'i32');
  if (!config.nonpad) return [validLen.set(f.get('Skv')), offset.set(config.past ? f.get('pastLength') : i.const(0))];
  const nonpad = f.local('nonpadValue', 'i32');
  return [
    nonpad.set(i.loadI64Low(i.add(f.get('nonpadPtr'), i.shl(f.get('b'), 3)))),
    validLen.set(i.min(nonpad.get(), f.get('Skv'))),
    offset.set(config.past ? f.get('pastLength') : i.sub(nonpad.get(), f.get('Sq'))),
  ];
}

/** Statements that set locals `lo` and `hi` (declared by the caller) to the key range of query row `row` (a local). */
export function rowRange(f: FunctionBuilder, config: AttentionConfig, row: string, lo: string, hi: string): Expr[] {
  const i = f.i32;
  const position = (): Expr => i.add(f.get('offset'), f.get(row));
  const statements: Expr[] = [f.v(hi).set(i.sub(f.get('validLen'), i.const(1)))];
  const narrow = (bound: Expr): Expr => f.v(hi).set(i.min(f.get(hi), bound));
  if (config.mask !== 'none') statements.push(narrow(i.sub(f.get('maskWidth'), i.const(1))));
  if (config.causal) statements.push(narrow(position()));
  if (config.rightWindow >= 0) statements.push(narrow(i.add(position(), i.const(config.rightWindow))));
  statements.push(f.v(lo).set(config.leftWindow >= 0 ? i.max(i.const(0), i.sub(position(), i.const(config.leftWindow))) : i.const(0)));
  return statements;
}

/** Byte address of the mask element for (b, h, row, key 0); keys follow contiguously. */
export function maskRowAddress(f: FunctionBuilder, config: AttentionConfig, head: Expr, row: Expr): Expr {
  const i = f.i32;
  const element = i.add(i.add(i.mul(f.get('b'), f.get('msb')), i.mul(head, f.get('msh'))), i.mul(row, f.get('msq')));
  return i.add(f.get('mask'), config.mask === 'bool' ? element : i.shl(element, 2));
}
