/**
 * Positions inside the WGSL attention kernel (the plan's PositionPlan):
 * rotary embeddings applied to each element of Q and of the staged keys as
 * they are loaded — element d pairs with d ± R/2 (rotate-half) or d ^ 1
 * (interleaved), x' = x·cos ∓ partner·sin — and the ALiBi and relative
 * biases computed per score from the query position q = offset + i and the
 * key position k (key_positions[b, j] or j). Nothing of size S×S exists.
 */
import type { AlibiForm } from '@ladon/ir';
import { load } from '../elements.js';
import type { StorageDecl, UniformDecl, WgslElement } from '../kernel.js';

/** What the kernel is specialised to for positions. */
export interface PositionVariant {
  readonly rotary?: { readonly half: number; readonly interleaved: boolean };
  readonly alibi?: AlibiForm;
  readonly keyPositions?: boolean;
  readonly relative?: boolean;
}

/** The kernel-name tags of the position variant. */
export function positionTags(variant: PositionVariant): string[] {
  const tags: string[] = [];
  if (variant.rotary) tags.push(`${variant.rotary.interleaved ? 'ropei' : 'rope'}${variant.rotary.half * 2}`);
  if (variant.alibi) tags.push(`alibi_${variant.alibi}`);
  if (variant.keyPositions) tags.push('kpos');
  if (variant.relative) tags.push('rel');
  return tags;
}

/** The storage bindings positions read (after Q, K, V and the mask). */
export function positionStorage(variant: PositionVariant, element: WgslElement): StorageDecl[] {
  const storage: StorageDecl[] = [];
  if (variant.rotary) storage.push({ name: 'rotary_cos', access: 'read', element }, { name: 'rotary_sin', access: 'read', element });
  if (variant.alibi) storage.push({ name: 'alibi_slopes', access: 'read', element });
  if (variant.keyPositions) storage.push({ name: 'key_positions', access: 'read', element: 'f32' });
  if (variant.relative) storage.push({ name: 'relative_bias', access: 'read', element });
  return storage;
}

/** The uniforms positions read. */
export function positionUniforms(variant: PositionVariant): UniformDecl[] {
  const uniforms: UniformDecl[] = [];
  if (variant.rotary) uniforms.push({ name: 'rotary_stride_b', type: 'u32' });
  if (variant.keyPositions) uniforms.push({ name: 'key_positions_stride_b', type: 'u32' });
  if (variant.relative) uniforms.push({ name: 'relative_max_distance', type: 'i32' });
  return uniforms;
}

/** `load_<input>_rotated(row, d, b, pos)`: elements d..d+3 of a row, rotated at position `pos` ('' without rotary). */
export function rotaryLoader(variant: PositionVariant, input: 'q' | 'k', element: WgslElement): string {
  const rotary = variant.rotary;
  if (!rotary) return '';
  const half = rotary.half;
  const [pair, partner, first] = rotary.interleaved ? ['e / 2u', '(e ^ 1u)', 'e % 2u == 0u'] : [`e % ${half}u`, `select(e - ${half}u, e + ${half}u, e < ${half}u)`, `e < ${half}u`];
  return `\n\n// Elements d..d+3 of ${input.toUpperCase()} at position pos, rotated (features from ${2 * half} on pass through).
fn load_${input}_rotated(row: u32, d: u32, b: u32, pos: u32) -> vec4f {
  var value = load_${input}(row, d);
  for (var lane = 0u; lane < 4u; lane++) {
    let e = d + lane;
    if (e >= ${2 * half}u) { continue; }
    let table = b * u.rotary_stride_b + pos * ${half}u + ${pair};
    let other = ${load(input, `row + ${partner}`, element)};
    let s = ${load('rotary_sin', 'table', element)};
    value[lane] = value[lane] * ${load('rotary_cos', 'table', element)} + select(other * s, -other * s, ${first});
  }
  return value;
}`;
}

/** `position_bias(b, h, i, j)`: the ALiBi and relative biases of one score (0 without them). */
export function positionBiasHelper(variant: PositionVariant, element: WgslElement): string {
  const terms: string[] = [];
  if (variant.alibi) terms.push(`  bias += ${load('alibi_slopes', 'h', element)} * ${alibiFactor(variant.alibi)};`);
  if (variant.relative) {
    terms.push(`  let m = u.relative_max_distance;
  let n = clamp(i32(k - q), -m, m) + m;
  bias += ${load('relative_bias', 'h * u32(2 * m + 1) + u32(n)', element)};`);
  }
  const key = variant.keyPositions ? 'key_positions[b * u.key_positions_stride_b + j]' : 'f32(j)';
  return `// The position biases of score (b, h, i, j): query position q = offset + i, key position k.
fn position_bias(b: u32, h: u32, i: u32, j: u32) -> f32 {
  let q = f32(causal_offset(b) + i32(i));
  let k = ${key};
  var bias = 0.0;
${terms.join('\n')}
  return bias;
}`;
}

function alibiFactor(form: AlibiForm): string {
  return form === 'key' ? 'k' : form === 'relative' ? '(k - q)' : '(-abs(k - q))';
}
