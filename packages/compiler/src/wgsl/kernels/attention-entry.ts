/**
 * The entry point of the attention kernel (see attention-kernel.ts): set up
 * the row, walk the key tiles the workgroup needs (all of them when scores
 * are written), optionally write the mode-3 probabilities in a second pass,
 * and write Y = acc / l (0 for rows that saw no key). Barriers stay in
 * workgroup-uniform control flow: tile bounds depend only on the workgroup
 * id, uniforms and read-only storage.
 */
import { store } from '../elements.js';
import type { AttentionVariant } from './attention-variant.js';

function setup(variant: AttentionVariant): string {
  const loadQuery = variant.rotary ? 'load_q_rotated(q_base, d * 4u, b, i)' : 'load_q(q_base, d * 4u)';
  return `  let b = group.z;${variant.rotary ? '\n  batch_index = b;' : ''}
  let h = group.y;
  let row0 = group.x * BLOCK_ROWS;
  let i = row0 + thread;
  let in_range = i < u.q_seq;
  let kv_head = h / (u.q_heads / u.kv_heads);
  let k_base = b * u.k_stride_b + kv_head * u.k_stride_h;
  let v_base = b * u.v_stride_b + kv_head * u.v_stride_h;
  let offset = causal_offset(b);
  let limit = key_limit(b);
  let allowed = allowed_keys(offset + i32(i), limit);
  running_max = 0.0;
  running_sum = 0.0;
  seen_any = false;
  if (in_range) {
    let q_base = b * u.q_stride_b + h * u.q_stride_h + i * u.q_stride_s;
    for (var d = 0u; d < HEAD_VECS; d++) { q_row[d] = ${loadQuery}; }
  }`;
}

function keyRange(variant: AttentionVariant): string {
  if (variant.scores !== undefined) {
    return `  // Every key is visited: the scores output needs them all.
  let first_key = 0;
  let last_key = i32(u.total_seq) - 1;`;
  }
  return `  // Only the tiles some row of this workgroup may attend (causal and window tiles are skipped).
  let last_row = min(row0 + BLOCK_ROWS, u.q_seq) - 1u;
  let first_key = max(allowed_keys(offset + i32(row0), limit).x, 0);
  let last_key = allowed_keys(offset + i32(last_row), limit).y;`;
}

function tileLoop(): string {
  return `  if (first_key <= last_key) {
    for (var t0 = u32(first_key) / BLOCK_KEYS * BLOCK_KEYS; i32(t0) <= last_key; t0 += BLOCK_KEYS) {
      workgroupBarrier();
      stage_keys(k_base, t0, thread);
      stage_values(v_base, t0, thread);
      workgroupBarrier();
      if (in_range) { attend_tile(b, h, i, t0, allowed); }
    }
  }`;
}

function probabilitiesPass(variant: AttentionVariant): string {
  if (variant.scores !== 3) return '';
  return `
  // Mode 3: the softmax probabilities, now that m and l are final.
  for (var t0 = 0u; t0 < u.total_seq; t0 += BLOCK_KEYS) {
    workgroupBarrier();
    stage_keys(k_base, t0, thread);
    workgroupBarrier();
    if (in_range) {
      for (var c = 0u; c < BLOCK_KEYS; c++) {
        let j = t0 + c;
        if (j >= u.total_seq) { break; }
        let bias = key_bias(b, h, i, j, allowed);
        var p = 0.0;
        if (bias.y == 0.0 && running_sum > 0.0) {
          p = exp(softcapped(scaled_score(c)) + bias.x - running_max) / running_sum;
        }
        write_score(b, h, i, j, p);
      }
    }
  }`;
}

function writeOutput(variant: AttentionVariant): string {
  return `  if (in_range) {
    let y_base = b * u.y_stride_b + h * u.y_stride_h + i * u.y_stride_s;
    for (var d = 0u; d < V_HEAD_SIZE; d++) {
      var value = 0.0;
      if (running_sum > 0.0) { value = acc[d / 4u][d % 4u] / running_sum; }
      y[y_base + d] = ${store('value', variant.element)};
    }
  }`;
}

/** The body of the attention kernel's entry point. */
export function attentionEntry(variant: AttentionVariant): string {
  return [setup(variant), keyRange(variant), tileLoop() + probabilitiesPass(variant), writeOutput(variant)].join('\n');
}
