/**
 * Attention against a hand-written decomposition built from the other ops,
 * evaluated one op at a time (each intermediate rounded to f32):
 *
 *   [3-D: Reshape + Transpose to [B, H, S, D]]
 *   K̂ = Concat(past_key, K, axis 2)     V̂ likewise       (KV cache)
 *   K̂, V̂ = Gather(·, floor(h / (Hq/Hkv)), axis 1)         (GQA / MQA)
 *   s = Mul(MatMul(Q, Transpose(K̂, [0,1,3,2])), scale)
 *   c = Mul(Tanh(Div(s, softcap)), softcap)                  (softcap)
 *   z = Add(c, bias)   bias = Where(bool mask, 0, -inf) | float mask,
 *                      padded with Concat(-inf), + Where(allowed, 0, -inf)
 *   p = Where(row has a key, Softmax(z), 0)
 *   Y = MatMul(p, V̂)  [3-D: Transpose + Reshape back]
 *
 * Only the structural "allowed" pattern (causal / window / nonpad, with the
 * offset rules) and the "row has a key" flags are plain loops here; nothing
 * calls the Attention reference's own helpers. Inputs come from a seeded
 * PRNG; agreement is required within 1e-5 absolute (and -inf exactly).
 */
import { describe, expect, it } from 'vitest';
import type { Attributes } from '../graph.js';
import type { OpDef } from '../op-def.js';
import { tensor, toNumbers, type Tensor } from '../tensor.js';
import { evaluateOp } from '../testing/op-harness.js';
import { Add, Div, Mul } from './binary-arithmetic.js';
import { Attention } from './attention.js';
import { Concat } from './concat.js';
import { Gather } from './gather.js';
import { MatMul } from './matmul.js';
import { Reshape } from './reshape.js';
import { Softmax } from './softmax.js';
import { Tanh } from './unary-math.js';
import { Transpose } from './transpose.js';
import { Where } from './where.js';
import { seededRandom as mulberry32 } from '../testing/random.js';


function seedOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

interface Scenario {
  readonly name: string;
  readonly B: number;
  readonly Hq: number;
  readonly Hkv: number;
  readonly Sq: number;
  readonly Skv: number;
  readonly D: number;
  readonly Dv?: number;
  readonly P?: number;
  readonly rank3?: boolean;
  readonly mask?: { readonly kind: 'bool' | 'float'; readonly shape: readonly number[]; readonly emptyRow?: boolean };
  readonly causal?: boolean;
  readonly softcap?: number;
  readonly scale?: number;
  readonly mode?: number;
  readonly nonpad?: readonly number[];
  readonly left?: number;
  readonly right?: number;
}

interface Inputs {
  readonly q: Tensor;
  readonly k: Tensor;
  readonly v: Tensor;
  readonly mask?: Tensor;
  readonly pastK?: Tensor;
  readonly pastV?: Tensor;
  readonly nonpad?: Tensor;
}

const f32 = (shape: readonly number[], values: ArrayLike<number>): Tensor => tensor('f32', shape, Float32Array.from(values));
const scalar = (value: number): Tensor => f32([], [value]);
const i64 = (values: readonly number[]): Tensor => tensor('i64', [values.length], BigInt64Array.from(values.map(BigInt)));
const run = (def: OpDef, inputs: Tensor[], attrs: Attributes = {}): Tensor => evaluateOp(def, inputs, attrs)[0] as Tensor;
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function makeInputs(s: Scenario): Inputs {
  const rand = mulberry32(seedOf(s.name));
  const uniform = (shape: readonly number[]) => f32(shape, Array.from({ length: size(shape) }, () => rand() * 2 - 1));
  const dv = s.Dv ?? s.D;
  const P = s.P ?? 0;
  const q = uniform(s.rank3 ? [s.B, s.Sq, s.Hq * s.D] : [s.B, s.Hq, s.Sq, s.D]);
  const k = uniform(s.rank3 ? [s.B, s.Skv, s.Hkv * s.D] : [s.B, s.Hkv, s.Skv, s.D]);
  const v = uniform(s.rank3 ? [s.B, s.Skv, s.Hkv * dv] : [s.B, s.Hkv, s.Skv, dv]);
  const pastK = P ? uniform([s.B, s.Hkv, P, s.D]) : undefined;
  const pastV = P ? uniform([s.B, s.Hkv, P, dv]) : undefined;
  return { q, k, v, pastK, pastV, mask: s.mask && makeMask(s.mask, rand), nonpad: s.nonpad && i64(s.nonpad) };
}

function makeMask(spec: NonNullable<Scenario['mask']>, rand: () => number): Tensor {
  const count = size(spec.shape);
  const width = spec.shape[spec.shape.length - 1];
  const values = Array.from({ length: count }, () => (spec.kind === 'bool' ? (rand() < 0.7 ? 1 : 0) : rand() < 0.1 ? -Infinity : rand() * 3 - 2));
  // Row 1 of the first mask matrix: nothing may be attended.
  if (spec.emptyRow) for (let j = 0; j < width; j++) values[width + j] = spec.kind === 'bool' ? 0 : -Infinity;
  return spec.kind === 'bool' ? tensor('bool', spec.shape, Uint8Array.from(values)) : f32(spec.shape, values);
}

function attentionAttrs(s: Scenario): Attributes {
  const attrs: Record<string, number> = {};
  if (s.causal) attrs.is_causal = 1;
  if (s.rank3) Object.assign(attrs, { q_num_heads: s.Hq, kv_num_heads: s.Hkv });
  if (s.scale !== undefined) attrs.scale = s.scale;
  if (s.softcap !== undefined) attrs.softcap = s.softcap;
  if (s.mode !== undefined) attrs.qk_matmul_output_mode = s.mode;
  if (s.left !== undefined) attrs.left_window_size = s.left;
  if (s.right !== undefined) attrs.right_window_size = s.right;
  return attrs;
}

function to4d(x: Tensor, heads: number): Tensor {
  const [b, seq, hidden] = x.shape;
  return run(Transpose, [run(Reshape, [x, i64([b, seq, heads, hidden / heads])])], { perm: [0, 2, 1, 3] });
}

function from4d(y: Tensor): Tensor {
  const [b, h, seq, d] = y.shape;
  return run(Reshape, [run(Transpose, [y], { perm: [0, 2, 1, 3] }), i64([b, seq, h * d])]);
}

/** The key/value pattern the structural masks allow, [B, 1, Sq, T] (plain loops; offsets per the ONNX rules). */
function allowedPattern(s: Scenario, total: number): Tensor | undefined {
  if (!s.causal && s.nonpad === undefined && s.left === undefined && s.right === undefined) return undefined;
  const out = new Uint8Array(s.B * s.Sq * total);
  for (let b = 0; b < s.B; b++) {
    const offset = s.P ? s.P : s.nonpad ? s.nonpad[b] - s.Sq : 0;
    for (let i = 0; i < s.Sq; i++) {
      for (let j = 0; j < total; j++) {
        const p = offset + i;
        let ok = !s.causal || j <= p;
        if (s.left !== undefined && s.left >= 0 && j < p - s.left) ok = false;
        if (s.right !== undefined && s.right >= 0 && j > p + s.right) ok = false;
        if (s.nonpad && j >= s.nonpad[b]) ok = false;
        out[(b * s.Sq + i) * total + j] = ok ? 1 : 0;
      }
    }
  }
  return tensor('bool', [s.B, 1, s.Sq, total], out);
}

/** The additive bias from the mask (padded to T) and the structural pattern, or undefined. */
function biasOf(s: Scenario, inputs: Inputs, total: number): Tensor | undefined {
  let bias: Tensor | undefined;
  if (inputs.mask) {
    const mask = inputs.mask.dtype === 'bool' ? run(Where, [inputs.mask, scalar(0), scalar(-Infinity)]) : inputs.mask;
    const width = mask.shape[mask.shape.length - 1];
    const padShape = [...mask.shape.slice(0, -1), total - width];
    bias = width < total ? run(Concat, [mask, f32(padShape, new Array(size(padShape)).fill(-Infinity))], { axis: -1 }) : mask;
  }
  const allowed = allowedPattern(s, total);
  if (allowed) {
    const structural = run(Where, [allowed, scalar(0), scalar(-Infinity)]);
    bias = bias ? run(Add, [bias, structural]) : structural;
  }
  return bias;
}

/** [B, H, Sq, 1]: true where the row of z has at least one key that is not -inf (plain loop). */
function rowsWithKeys(z: Tensor): Tensor {
  const values = toNumbers(z);
  const width = z.shape[3];
  const rows = values.length / width;
  const out = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) out[r] = values.slice(r * width, (r + 1) * width).some((x) => x !== -Infinity) ? 1 : 0;
  return tensor('bool', [...z.shape.slice(0, 3), 1], out);
}

interface Results {
  readonly y: Tensor;
  readonly presentK: Tensor;
  readonly presentV: Tensor;
  readonly qk: Tensor;
}

function decompose(s: Scenario, inputs: Inputs): Results {
  const q = s.rank3 ? to4d(inputs.q, s.Hq) : inputs.q;
  const k = s.rank3 ? to4d(inputs.k, s.Hkv) : inputs.k;
  const v = s.rank3 ? to4d(inputs.v, s.Hkv) : inputs.v;
  const presentK = inputs.pastK ? run(Concat, [inputs.pastK, k], { axis: 2 }) : k;
  const presentV = inputs.pastV ? run(Concat, [inputs.pastV, v], { axis: 2 }) : v;
  const heads = i64(Array.from({ length: s.Hq }, (_, h) => Math.floor(h / (s.Hq / s.Hkv))));
  const kHeads = run(Gather, [presentK, heads], { axis: 1 });
  const vHeads = run(Gather, [presentV, heads], { axis: 1 });
  const scores = run(Mul, [run(MatMul, [q, run(Transpose, [kHeads], { perm: [0, 1, 3, 2] })]), scalar(s.scale ?? 1 / Math.sqrt(s.D))]);
  const cap = s.softcap ? scalar(s.softcap) : undefined;
  const capped = cap ? run(Mul, [run(Tanh, [run(Div, [scores, cap])]), cap]) : scores;
  const bias = biasOf(s, inputs, presentK.shape[2]);
  const z = bias ? run(Add, [capped, bias]) : capped;
  const p = run(Where, [rowsWithKeys(z), run(Softmax, [z], { axis: -1 }), scalar(0)]);
  const y = run(MatMul, [p, vHeads]);
  return { y: s.rank3 ? from4d(y) : y, presentK, presentV, qk: [scores, capped, z, p][s.mode ?? 0] };
}

function expectClose(name: string, got: Tensor | undefined, want: Tensor, tolerance = 1e-5): void {
  expect(got, `${name} missing`).toBeDefined();
  expect(got!.shape, `${name} shape`).toEqual(want.shape);
  const a = toNumbers(got!);
  const e = toNumbers(want);
  const bad: string[] = [];
  for (let i = 0; i < e.length; i++) {
    const ok = e[i] === -Infinity ? a[i] === -Infinity : Number.isFinite(a[i]) && Math.abs(a[i] - e[i]) <= tolerance;
    if (!ok && bad.length < 5) bad.push(`[${i}] got ${a[i]}, decomposition ${e[i]}`);
  }
  expect(bad, `${name}: ${bad.join('; ')}`).toEqual([]);
}

const BASE = { B: 2, Hq: 3, Hkv: 3, Sq: 4, Skv: 6, D: 8 };

const SCENARIOS: Scenario[] = [
  { name: 'no mask', ...BASE },
  { name: 'bool mask 2-D [Sq, Skv]', ...BASE, mask: { kind: 'bool', shape: [4, 6] } },
  { name: 'bool mask 4-D [B, Hq, Sq, Skv]', ...BASE, mask: { kind: 'bool', shape: [2, 3, 4, 6] } },
  { name: 'float mask 2-D [Sq, Skv]', ...BASE, mask: { kind: 'float', shape: [4, 6] } },
  { name: 'float mask 3-D [Hq, Sq, Skv]', ...BASE, mask: { kind: 'float', shape: [3, 4, 6] } },
  { name: 'float mask 4-D [B, 1, Sq, Skv] with -inf', ...BASE, mask: { kind: 'float', shape: [2, 1, 4, 6] } },
  { name: 'GQA 6/2', ...BASE, Hq: 6, Hkv: 2, mask: { kind: 'float', shape: [1, 6] } },
  { name: 'MQA 4/1', ...BASE, Hq: 4, Hkv: 1 },
  { name: 'causal Sq < Skv (top-left)', ...BASE, causal: true },
  { name: 'causal Sq == Skv', ...BASE, Sq: 5, Skv: 5, causal: true },
  { name: 'causal with bool mask', ...BASE, Sq: 6, causal: true, mask: { kind: 'bool', shape: [2, 1, 6, 6] } },
  { name: 'softcap', ...BASE, softcap: 1.5, scale: 0.9 },
  { name: 'V head size != QK head size', ...BASE, Dv: 5, mask: { kind: 'float', shape: [4, 6] } },
  { name: 'KV cache (past + present)', ...BASE, P: 5, mask: { kind: 'float', shape: [4, 11] } },
  { name: 'KV cache, causal (bottom-right) GQA', ...BASE, Hq: 6, Hkv: 3, P: 5, causal: true },
  { name: 'qk mode 0 (scaled QKᵀ)', ...BASE, mode: 0, mask: { kind: 'bool', shape: [4, 6] } },
  { name: 'qk mode 1 (after softcap)', ...BASE, mode: 1, softcap: 0.8, mask: { kind: 'float', shape: [4, 6] } },
  { name: 'qk mode 2 (after bias, -inf kept)', ...BASE, mode: 2, softcap: 0.8, causal: true, P: 2, mask: { kind: 'float', shape: [4, 8] } },
  { name: 'qk mode 3 (after softmax)', ...BASE, mode: 3, Hq: 6, Hkv: 2, mask: { kind: 'bool', shape: [2, 6, 4, 6] } },
  { name: '3-D inputs', ...BASE, rank3: true, Hq: 4, Hkv: 2, mask: { kind: 'float', shape: [4, 6] } },
  { name: '3-D inputs, KV cache, Dv != D, causal', ...BASE, rank3: true, Hq: 3, Hkv: 1, Dv: 6, P: 3, causal: true, mode: 2 },
  { name: 'fully masked rows (bool)', ...BASE, mode: 3, mask: { kind: 'bool', shape: [4, 6], emptyRow: true } },
  { name: 'fully masked rows (float -inf)', ...BASE, mask: { kind: 'float', shape: [1, 3, 4, 6], emptyRow: true } },
  { name: 'nonpad_kv_seqlen + causal (external cache)', ...BASE, Sq: 2, causal: true, nonpad: [6, 3] },
  { name: 'mask shorter than T, padded with -inf', ...BASE, mask: { kind: 'float', shape: [2, 3, 4, 4] }, nonpad: [5, 6] },
  { name: 'sliding window left 2 / right 1', ...BASE, Sq: 6, left: 2, right: 1 },
  { name: 'sliding window with cache and causal', ...BASE, P: 3, causal: true, left: 3, mode: 2 },
];

describe('Attention equals its decomposition into MatMul/Softmax/Where/...', () => {
  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, s) => {
    const inputs = makeInputs(s);
    const ordered = [inputs.q, inputs.k, inputs.v, inputs.mask, inputs.pastK, inputs.pastV, inputs.nonpad];
    while (ordered[ordered.length - 1] === undefined) ordered.pop();
    const [y, presentK, presentV, qk] = evaluateOp(Attention, ordered, attentionAttrs(s), 4);
    const want = decompose(s, inputs);
    expectClose('Y', y, want.y);
    expectClose('present_key', presentK, want.presentK, 0);
    expectClose('present_value', presentV, want.presentV, 0);
    expectClose('qk_matmul_output', qk, want.qk);
    expect(toNumbers(y!).some(Number.isNaN)).toBe(false);
  });

  it('gives exactly 0 for a fully masked row', () => {
    const s = SCENARIOS.find((scenario) => scenario.name === 'fully masked rows (bool)')!;
    const inputs = makeInputs(s);
    const [y, , , qk] = evaluateOp(Attention, [inputs.q, inputs.k, inputs.v, inputs.mask], attentionAttrs(s), 4);
    const yv = toNumbers(y!);
    const qv = toNumbers(qk!);
    for (let b = 0; b < s.B; b++) {
      for (let h = 0; h < s.Hq; h++) {
        const row = (b * s.Hq + h) * s.Sq + 1;
        expect(yv.slice(row * s.D, (row + 1) * s.D)).toEqual(new Array(s.D).fill(0));
        expect(qv.slice(row * s.Skv, (row + 1) * s.Skv)).toEqual(new Array(s.Skv).fill(0));
      }
    }
  });
});
