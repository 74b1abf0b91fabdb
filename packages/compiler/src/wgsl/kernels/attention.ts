/**
 * The fused Attention kernel (FlashAttention-style). Legend: B batch, Hq/Hkv
 * query/key-value heads, Sq query rows, T keys (past + new), D/Dv head sizes.
 *
 * One workgroup per (query tile of BLOCK_ROWS rows, head, batch); one
 * invocation per query row, holding its query vector, its running max m,
 * running sum l and output accumulator in registers. Keys and values
 * stream through workgroup memory in tiles of BLOCK_KEYS; per tile each row
 * scores its keys (scale, softcap, then the bias: structural masks, the
 * attention mask, nonpad lengths), rescales l and the accumulator once by
 * exp(m_old - m_new) and adds the tile's exp(z - m_new)·V. Tiles entirely
 * outside the keys any row of the workgroup may see (causal, windows,
 * nonpad, a short mask) are never loaded. Rows that see no key give 0.
 *
 * With a qk_matmul_output (`scores` set), every tile is visited and each
 * row writes its scores: modes 0-2 as they are computed, mode 3 (the
 * softmax) in a second pass once m and l are final.
 *
 * Compile-time: D, Dv, element types, mask kind, nonpad, scores mode.
 * Uniform: every size and stride, scale, softcap, causal, windows, past.
 */
import { elementTag, load, store } from '../elements.js';
import type { KernelDecl, StorageDecl, UniformDecl, WgslElement } from '../kernel.js';
import { attentionEntry } from './attention-entry.js';
import { positionBiasHelper, positionStorage, positionTags, positionUniforms, rotaryLoader } from './attention-positions.js';
import type { AttentionVariant } from './attention-variant.js';

/** Query rows per workgroup (one invocation each). */
export const BLOCK_ROWS = 16;

/** vec4s holding `size` floats (head vectors are padded with zeros to a multiple of 4). */
function vectors(size: number): number {
  return Math.ceil(size / 4);
}

/**
 * Keys per tile: at most 32, and few enough that the K and V tiles stay
 * within 4 KiB of workgroup memory when possible (SwiftShader's compile time
 * grows with workgroup array size; the reuse that matters, across the
 * BLOCK_ROWS rows of a workgroup, does not depend on it), never beyond the
 * 16 KiB every adapter guarantees. 0 when even 4 keys do not fit.
 */
export function blockKeys(variant: AttentionVariant): number {
  const perKey = (vectors(variant.headSize) + vectors(variant.vHeadSize)) * 16;
  for (const keys of [32, 16, 8]) if (keys * perKey <= 4096) return keys;
  return 4 * perKey <= 16384 ? 4 : 0;
}

/** The kernel name of a variant. */
export function attentionKernelName(variant: AttentionVariant): string {
  const parts = [`attention_d${variant.headSize}_v${variant.vHeadSize}_${elementTag(variant.element)}`];
  if (variant.vElement !== variant.element) parts.push(`v${elementTag(variant.vElement)}`);
  if (variant.mask !== 'none') parts.push(variant.mask === 'bool' ? 'maskb' : 'maskf');
  if (variant.nonpad) parts.push('nonpad');
  if (variant.scores !== undefined) parts.push(`qk${variant.scores}`);
  parts.push(...positionTags(variant));
  return parts.join('_');
}

function strideFields(prefix: string): UniformDecl[] {
  return ['b', 'h', 's'].map((axis) => ({ name: `${prefix}_stride_${axis}`, type: 'u32' as const }));
}

function attentionStorage(variant: AttentionVariant): StorageDecl[] {
  const { element } = variant;
  const storage: StorageDecl[] = [
    { name: 'q', access: 'read', element },
    { name: 'k', access: 'read', element },
    { name: 'v', access: 'read', element: variant.vElement },
  ];
  if (variant.mask !== 'none') storage.push({ name: 'mask', access: 'read', element: variant.mask === 'bool' ? 'u32' : element });
  if (variant.nonpad) storage.push({ name: 'nonpad', access: 'read', element: 'i32' });
  storage.push(...positionStorage(variant, element));
  storage.push({ name: 'y', access: 'read_write', element });
  if (variant.scores !== undefined) storage.push({ name: 'qk', access: 'read_write', element });
  return storage;
}

function attentionUniforms(variant: AttentionVariant): UniformDecl[] {
  const sizes = ['q_seq', 'total_seq', 'q_heads', 'kv_heads'].map((name) => ({ name, type: 'u32' as const }));
  const strides = ['q', 'k', 'v', 'y'].flatMap(strideFields);
  const mask: UniformDecl[] = variant.mask === 'none' ? [] : [...strideFields('mask'), { name: 'mask_width', type: 'u32' }];
  const switches: UniformDecl[] = [
    { name: 'scale', type: 'f32' },
    { name: 'softcap', type: 'f32' },
    { name: 'is_causal', type: 'u32' },
    { name: 'left_window', type: 'i32' },
    { name: 'right_window', type: 'i32' },
    { name: 'past_seq', type: 'u32' },
    { name: 'has_past', type: 'u32' },
  ];
  return [...sizes, ...strides, ...mask, ...switches, ...positionUniforms(variant)];
}

/** The declared kernel of a variant. */
export function attentionKernel(variant: AttentionVariant): KernelDecl {
  const keys = blockKeys(variant);
  return {
    name: attentionKernelName(variant),
    summary: 'fused attention with online softmax over key tiles in workgroup memory',
    storage: attentionStorage(variant),
    uniforms: attentionUniforms(variant),
    workgroupSize: [BLOCK_ROWS, 1, 1],
    workgroupStorageBytes: keys * (vectors(variant.headSize) + vectors(variant.vHeadSize)) * 16,
    helpers: [constants(variant, keys), biasHelpers(variant), stagingHelpers(variant), scoreHelpers(variant), tileHelper(variant)].join('\n\n'),
    entryParams: '@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) thread: u32',
    entryBody: attentionEntry(variant),
  };
}

function constants(variant: AttentionVariant, keys: number): string {
  const [qVectors, vVectors] = [vectors(variant.headSize), vectors(variant.vHeadSize)];
  return `const HEAD_SIZE: u32 = ${variant.headSize}u;
const V_HEAD_SIZE: u32 = ${variant.vHeadSize}u;
// Head vectors as vec4s, zero-padded.
const HEAD_VECS: u32 = ${qVectors}u;
const V_HEAD_VECS: u32 = ${vVectors}u;
const BLOCK_ROWS: u32 = ${BLOCK_ROWS}u;
const BLOCK_KEYS: u32 = ${keys}u;
// A private variable, not a const: a constant -inf does not exist in WGSL.
var<private> neg_inf_bits: u32 = 0xff800000u;

var<workgroup> k_tile: array<vec4f, ${keys * qVectors}>;
var<workgroup> v_tile: array<vec4f, ${keys * vVectors}>;

// Per query row (one invocation): its query, running max m, running sum l, accumulator.
var<private> q_row: array<vec4f, ${qVectors}>;
var<private> acc: array<vec4f, ${vVectors}>;
var<private> running_max: f32;
var<private> running_sum: f32;
var<private> seen_any: bool;${variant.rotary ? '\n// The batch of this workgroup (the rotary tables of the staged keys are read at it).\nvar<private> batch_index: u32;' : ''}`;
}

function biasHelpers(variant: AttentionVariant): string {
  const offset = variant.nonpad ? 'nonpad[b] - i32(u.q_seq)' : '0';
  const limits = [variant.nonpad ? '\n  limit = min(limit, nonpad[b]);' : '', variant.mask !== 'none' ? '\n  limit = min(limit, i32(u.mask_width));' : ''].join('');
  return `// The diagonal offset of batch b: P with a cache, nonpad[b] - Sq with nonpad_kv_seqlen, else 0.
fn causal_offset(b: u32) -> i32 {
  if (u.has_past != 0u) { return i32(u.past_seq); }
  return ${offset};
}

// Keys at or past this index are masked in batch b (total length, nonpad length, short mask).
fn key_limit(b: u32) -> i32 {
  var limit = i32(u.total_seq);${limits}
  return limit;
}

// The keys [x, y] query position p may attend (causal, windows, limit); empty when x > y.
fn allowed_keys(p: i32, limit: i32) -> vec2i {
  var lo = 0;
  var hi = limit - 1;
  if (u.is_causal != 0u) { hi = min(hi, p); }
  if (u.left_window >= 0) { lo = max(lo, p - u.left_window); }
  if (u.right_window >= 0) { hi = min(hi, p + u.right_window); }
  return vec2i(lo, hi);
}

${keyBias(variant)}`;
}

/** key_bias(b, h, i, j, allowed): x = the value to add, y = 1 when the key is masked (with position biases: mask_bias + position_bias). */
function keyBias(variant: AttentionVariant): string {
  const head = `// The bias of key j for row (b, h, i): x = the value to add, y = 1 when the key is masked.
fn key_bias(b: u32, h: u32, i: u32, j: u32, allowed: vec2i) -> vec2f {
  if (i32(j) < allowed.x || i32(j) > allowed.y) { return vec2f(0.0, 1.0); }`;
  if (!variant.alibi && !variant.relative) return `${head}\n${maskRead(variant)}\n}`;
  return `${head}
  let masked = mask_bias(b, h, i, j);
  return vec2f(masked.x + position_bias(b, h, i, j), masked.y);
}

// The mask tensor's part of key j's bias for row (b, h, i).
fn mask_bias(b: u32, h: u32, i: u32, j: u32) -> vec2f {
${maskRead(variant)}
}

${positionBiasHelper(variant, variant.element)}`;
}

/** The tail of key_bias: read the mask (bool: false masks; float: -inf masks, else added). */
function maskRead(variant: AttentionVariant): string {
  const at = 'b * u.mask_stride_b + h * u.mask_stride_h + i * u.mask_stride_s + j';
  switch (variant.mask) {
    case 'none':
      return '  return vec2f(0.0, 0.0);';
    case 'bool':
      return `  return vec2f(0.0, select(0.0, 1.0, mask[${at}] == 0u));`;
    case 'float':
      return `  let value = ${load('mask', at, variant.element)};
  if (bitcast<u32>(value) == neg_inf_bits) { return vec2f(0.0, 1.0); }
  return vec2f(value, 0.0);`;
  }
}

/** `load_<input>(row, d)`: elements d..d+3 of a row as a vec4 (zeros past the head size). */
function rowLoader(input: string, size: number, sizeName: string, element: WgslElement): string {
  if (size % 4 === 0) {
    const lanes = [0, 1, 2, 3].map((lane) => load(input, lane ? `row + d + ${lane}u` : 'row + d', element));
    return `fn load_${input}(row: u32, d: u32) -> vec4f {\n  return vec4f(${lanes.join(', ')});\n}`;
  }
  return `fn load_${input}(row: u32, d: u32) -> vec4f {
  var value = vec4f(0.0);
  for (var lane = 0u; lane < 4u; lane++) {
    if (d + lane < ${sizeName}) { value[lane] = ${load(input, 'row + d + lane', element)}; }
  }
  return value;
}`;
}

function stagingHelpers(variant: AttentionVariant): string {
  // With rotary embeddings, keys are loaded rotated at their position.
  const stage = (name: string, tile: string, vecs: string, input: string, load: string) => `fn stage_${name}(base: u32, t0: u32, thread: u32) {
  for (var e = thread; e < BLOCK_KEYS * ${vecs}; e += BLOCK_ROWS) {
    let key = t0 + e / ${vecs};
    var value = vec4f(0.0);
    if (key < u.total_seq) { value = ${load.replace('{row}', `base + key * u.${input}_stride_s`).replace('{d}', `(e % ${vecs}) * 4u`)}; }
    ${tile}[e] = value;
  }
}`;
  return `${rowLoader('q', variant.headSize, 'HEAD_SIZE', variant.element)}

${rowLoader('k', variant.headSize, 'HEAD_SIZE', variant.element)}

${rowLoader('v', variant.vHeadSize, 'V_HEAD_SIZE', variant.vElement)}${rotaryLoader(variant, 'q', variant.element)}${rotaryLoader(variant, 'k', variant.element)}

// Stage keys / values [t0, t0 + BLOCK_KEYS) of one head in workgroup memory (zeros past T).
${stage('keys', 'k_tile', 'HEAD_VECS', 'k', variant.rotary ? 'load_k_rotated({row}, {d}, batch_index, key)' : 'load_k({row}, {d})')}

${stage('values', 'v_tile', 'V_HEAD_VECS', 'v', 'load_v({row}, {d})')}`;
}

function scoreHelpers(variant: AttentionVariant): string {
  const writer =
    variant.scores === undefined
      ? ''
      : `

fn write_score(b: u32, h: u32, i: u32, j: u32, value: f32) {
  qk[((b * u.q_heads + h) * u.q_seq + i) * u.total_seq + j] = ${store('value', variant.element)};
}`;
  return `// scale · q·k for key c of the staged tile.
fn scaled_score(c: u32) -> f32 {
  var sum = 0.0;
  for (var d = 0u; d < HEAD_VECS; d++) { sum += dot(q_row[d], k_tile[c * HEAD_VECS + d]); }
  return sum * u.scale;
}

fn softcapped(s: f32) -> f32 {
  if (u.softcap > 0.0) { return u.softcap * tanh(clamp(s / u.softcap, -15.0, 15.0)); }
  return s;
}${writer}`;
}

function scoreWrite(variant: AttentionVariant): string {
  switch (variant.scores) {
    case 0:
      return '\n    write_score(b, h, i, j, raw);';
    case 1:
      return '\n    write_score(b, h, i, j, capped);';
    case 2:
      return '\n    write_score(b, h, i, j, select(capped + bias.x, bitcast<f32>(neg_inf_bits), bias.y != 0.0));';
    default:
      return '';
  }
}

function tileHelper(variant: AttentionVariant): string {
  return `// One tile for one row: score its keys, then fold them into m, l and the accumulator.
fn attend_tile(b: u32, h: u32, i: u32, t0: u32, allowed: vec2i) {
  var scores: array<f32, BLOCK_KEYS>;
  var live = 0u;
  var tile_max = -3.402823e38;
  for (var c = 0u; c < BLOCK_KEYS; c++) {
    let j = t0 + c;
    if (j >= u.total_seq) { break; }
    let raw = scaled_score(c);
    let capped = softcapped(raw);
    let bias = key_bias(b, h, i, j, allowed);${scoreWrite(variant)}
    if (bias.y == 0.0) {
      scores[c] = capped + bias.x;
      live = live | (1u << c);
      tile_max = max(tile_max, scores[c]);
    }
  }
  if (live == 0u) { return; }
  var new_max = tile_max;
  var correction = 0.0;
  if (seen_any) {
    new_max = max(running_max, tile_max);
    correction = exp(running_max - new_max);
  }
  running_sum = running_sum * correction;
  for (var d = 0u; d < V_HEAD_VECS; d++) { acc[d] = acc[d] * correction; }
  for (var c = 0u; c < BLOCK_KEYS; c++) {
    if ((live & (1u << c)) == 0u) { continue; }
    let p = exp(scores[c] - new_max);
    running_sum = running_sum + p;
    for (var d = 0u; d < V_HEAD_VECS; d++) { acc[d] = acc[d] + p * v_tile[c * V_HEAD_VECS + d]; }
  }
  running_max = new_max;
  seen_any = true;
}`;
}
