/**
 * Renders a scalar expression (see @ladon/ir scalar/expr.ts) as WGSL for
 * the map kernel: one invocation computes one element. Operand i is the
 * variable `x<i>` in its compute type (bools arrive as u32 0/1); f32
 * computes in f32, integers in i32 (i64 tensors are narrowed to i32 on the
 * GPU), bools as WGSL bools. A node used more than once becomes a `let`.
 * The primitives WGSL lacks or gets wrong are helper functions: erf, a
 * tanh safe from overflow, C `pow`, integer division giving 0 for a zero
 * divisor, a NaN test on the bits (WGSL may assume no NaNs, so `x != x`
 * can fold away), f32 max/min that propagate NaN (WGSL's return the
 * other operand) and a log with IEEE edges (WGSL leaves x <= 0 undefined). Bools are ordered as u32 (false < true).
 */
import { scalar, type ScalarExpr } from '@ladon/ir';
import { f32Literal } from '../elements.js';

/** An expression rendered for one element. */
export interface WgslExpression {
  /** `let` statements for the shared nodes, in order. */
  readonly lines: readonly string[];
  /** The value, in the compute type of its type (a bool as a WGSL bool). */
  readonly value: string;
  /** Module-scope helper functions the lines and the value call. */
  readonly helpers: string | undefined;
  /** The names of those helpers, in order. */
  readonly helperNames: readonly string[];
}

/** The module-scope helpers of several expressions rendered into one kernel, each once. */
export function mergedHelpers(expressions: readonly WgslExpression[]): string | undefined {
  return helpersText(new Set(expressions.flatMap((expression) => expression.helperNames)));
}

/** The named helpers' WGSL, each once, in HELPERS' order (a helper before those that use it). */
function helpersText(names: ReadonlySet<string>): string | undefined {
  const helpers = Object.keys(HELPERS).filter((name) => names.has(name)).map((name) => HELPERS[name]);
  return helpers.length > 0 ? helpers.join('\n\n') : undefined;
}

/** WGSL helpers by name: erf by Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7), a tanh safe from overflow, a power with ONNX's sign rules, integer division, a NaN test, NaN-propagating max/min, a log with IEEE's edges. */
const HELPERS: Readonly<Record<string, string>> = {
  erf_approx: `fn erf_approx(x: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.3275911 * abs(x));
  let poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return sign(x) * (1.0 - poly * exp(-x * x));
}`,
  tanh_safe: `fn tanh_safe(x: f32) -> f32 {
  return tanh(clamp(x, -15.0, 15.0));
}`,
  special_bits: `// Not consts: WGSL has no constant NaN or infinity, so these are private variables read at run time.
var<private> nan_bits: u32 = 0x7fc00000u;
var<private> inf_bits: u32 = 0x7f800000u;
var<private> neg_inf_bits: u32 = 0xff800000u;`,
  pow_onnx: `fn pow_onnx(base: f32, exponent: f32) -> f32 {
  if (exponent == 0.0) { return 1.0; }
  let magnitude = pow(abs(base), exponent);
  if (base < 0.0 && exponent == floor(exponent) && fract(exponent * 0.5) != 0.0) { return -magnitude; }
  if (base < 0.0 && exponent != floor(exponent)) { return bitcast<f32>(nan_bits); }
  return magnitude;
}`,
  div_int: `fn div_int(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  return a / b;
}`,
  is_nan: `fn is_nan(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u;
}`,
  log_ieee: `fn log_ieee(x: f32) -> f32 {
  if (is_nan(x) || x < 0.0) { return bitcast<f32>(nan_bits); }
  if (x == 0.0) { return bitcast<f32>(neg_inf_bits); }
  if (x == bitcast<f32>(inf_bits)) { return x; }
  return log(x);
}`,
  max_nan: `fn max_nan(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) { return a + b; }
  return max(a, b);
}`,
  min_nan: `fn min_nan(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) { return a + b; }
  return min(a, b);
}`,
};

/** Helpers a helper calls. */
const HELPER_NEEDS: Readonly<Record<string, readonly string[]>> = { max_nan: ['is_nan'], min_nan: ['is_nan'], pow_onnx: ['special_bits'], log_ieee: ['is_nan', 'special_bits'] };

const UNARY_CALLS: Readonly<Record<scalar.UnaryOp, string>> = {
  neg: '-',
  abs: 'abs',
  sqrt: 'sqrt',
  exp: 'exp',
  log: 'log_ieee',
  erf: 'erf_approx',
  tanh: 'tanh_safe',
  floor: 'floor',
  trunc: 'trunc',
  round: 'round',
  not: '!',
};

const INFIX: Readonly<Partial<Record<scalar.BinaryOp | scalar.CompareOp, string>>> = {
  add: '+', sub: '-', mul: '*', div: '/', and: '&&', or: '||', eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=',
};

/** A constant in WGSL: an f32 literal, an i32 (the lowest as a sum: `-2147483648i` is out of range) or a bool; non-finite floats are read from the private variables of `special_bits`. */
function literal(node: Extract<ScalarExpr, { kind: 'const' }>): string {
  if (node.type === 'bool') return node.value ? 'true' : 'false';
  if (node.type !== 'f32') return node.value === -(2 ** 31) ? '(-2147483647i - 1i)' : `${node.value}i`;
  if (Number.isFinite(node.value)) return f32Literal(node.value);
  return `bitcast<f32>(${Number.isNaN(node.value) ? 'nan_bits' : node.value > 0 ? 'inf_bits' : 'neg_inf_bits'})`;
}

/** A rendered node: its text, and whether it may stand as an operator's operand without parentheses. */
interface Rendered {
  readonly text: string;
  readonly atomic: boolean;
}

class WgslRenderer {
  readonly lines: string[] = [];
  readonly helpers = new Set<string>();
  private readonly named = new Map<ScalarExpr, string>();
  private readonly uses: Map<ScalarExpr, number>;

  constructor(root: ScalarExpr) {
    this.uses = scalar.useCounts(root);
  }

  /** The node as an operand of an operator (parenthesised unless it is a name, a literal or a call). */
  operand(node: ScalarExpr): string {
    const { text, atomic } = this.rendered(node);
    return atomic ? text : `(${text})`;
  }

  /** The node's value (a shared node through its `let`). */
  value(node: ScalarExpr): string {
    return this.rendered(node).text;
  }

  private rendered(node: ScalarExpr): Rendered {
    const name = this.named.get(node);
    if (name) return { text: name, atomic: true };
    const rendered = this.compute(node);
    if ((this.uses.get(node) ?? 0) < 2 || node.kind === 'input' || node.kind === 'const') return rendered;
    const variable = `t${this.named.size}`;
    this.lines.push(`    let ${variable} = ${rendered.text};`);
    this.named.set(node, variable);
    return { text: variable, atomic: true };
  }

  /** A call of a builtin or helper function. */
  private call(name: string, ...args: ScalarExpr[]): Rendered {
    for (const helper of [...(HELPER_NEEDS[name] ?? []), name]) if (HELPERS[helper]) this.helpers.add(helper);
    return { text: `${name}(${args.map((arg) => this.value(arg)).join(', ')})`, atomic: true };
  }

  private infix(a: ScalarExpr, operator: string, b: ScalarExpr): Rendered {
    return { text: `${this.operand(a)} ${operator} ${this.operand(b)}`, atomic: false };
  }

  private compute(node: ScalarExpr): Rendered {
    switch (node.kind) {
      case 'input':
        return node.type === 'bool' ? { text: `x${node.index} != 0u`, atomic: false } : { text: `x${node.index}`, atomic: true };
      case 'const': {
        const text = literal(node);
        if (!Number.isFinite(node.value)) this.helpers.add('special_bits');
        return { text, atomic: !text.startsWith('-') };
      }
      case 'unary':
        if ((node.type === 'i32' || node.type === 'i64') && (node.op === 'floor' || node.op === 'trunc' || node.op === 'round')) return this.rendered(node.x);
        if (node.op === 'neg' || node.op === 'not') return { text: `${UNARY_CALLS[node.op]}${this.operand(node.x)}`, atomic: false };
        return this.call(UNARY_CALLS[node.op], node.x);
      case 'binary':
        if (node.op === 'pow') return this.call('pow_onnx', node.a, node.b);
        if (node.op === 'max' || node.op === 'min') return this.call(node.type === 'f32' ? `${node.op}_nan` : node.op, node.a, node.b);
        if (node.op === 'div' && node.type !== 'f32') return this.call('div_int', node.a, node.b);
        return this.infix(node.a, INFIX[node.op]!, node.b);
      case 'compare':
        if (node.a.type === 'bool' && node.op !== 'eq' && node.op !== 'ne') {
          return { text: `u32(${this.value(node.a)}) ${INFIX[node.op]} u32(${this.value(node.b)})`, atomic: false };
        }
        return this.infix(node.a, INFIX[node.op]!, node.b);
      case 'isnan':
        return this.call('is_nan', node.x);
      case 'select':
        return { text: `select(${this.value(node.otherwise)}, ${this.value(node.then)}, ${this.value(node.condition)})`, atomic: true };
      case 'convert':
        return this.convert(node.x, node.type);
      case 'muladd':
        return { text: `${this.operand(node.a)} * ${this.operand(node.b)} + ${this.operand(node.c)}`, atomic: false };
      case 'call':
        throw new Error('calls are inlined before rendering');
    }
  }

  private convert(x: ScalarExpr, to: scalar.ScalarType): Rendered {
    if (to === 'bool') return { text: `${this.operand(x)} != ${x.type === 'f32' ? '0.0' : '0i'}`, atomic: false };
    if (x.type === 'bool') return { text: to === 'f32' ? `select(0.0, 1.0, ${this.value(x)})` : `select(0i, 1i, ${this.value(x)})`, atomic: true };
    if (to === 'f32') return { text: `f32(${this.value(x)})`, atomic: true };
    return x.type === 'f32' ? { text: `i32(${this.value(x)})`, atomic: true } : this.rendered(x);
  }
}

/** The WGSL of `root` for one element. */
export function wgslExpression(root: ScalarExpr): WgslExpression {
  const expression = scalar.inlineCalls(root);
  const renderer = new WgslRenderer(expression);
  const value = renderer.value(expression);
  const helperNames = Object.keys(HELPERS).filter((name) => renderer.helpers.has(name));
  return { lines: renderer.lines, value, helpers: helpersText(renderer.helpers), helperNames };
}
