/**
 * Renders a scalar expression (see @ladon/ir scalar/expr.ts) as the vector
 * form of an element-wise kernel: four lanes of every node at once — f32
 * lanes, i32 lanes (bools as 0/1), or all-ones masks for comparisons. A
 * node used more than once is computed once into a local; the math
 * primitives (exp, log, erf, tanh, pow) are the vectorised functions of
 * math.ts (the scalar form borrows them through {@link mathOnLane0}).
 * An expression with a node the tables below lack (i64 values, integer
 * division, ...) has no vector form: the kernel runs its scalar form.
 */
import { scalar, type ScalarExpr } from '@ladon/ir';
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import { powLanes } from './elementwise-pow.js';
import { verfInto, vexpExactInto, vlogExactInto, vtanhInto } from './math.js';

/** The vector form of an element-wise op: statements setting `out` from four lanes of each input. */
export type VectorForm = (f: FunctionBuilder, out: Local, inputs: readonly Expr[]) => Expr[];

type Lanes1 = (r: VectorRenderer, x: Expr) => Expr;
type Lanes2 = (r: VectorRenderer, a: Expr, b: Expr) => Expr;

/** Runs a statement generator of math.ts into a temporary. */
const into = (generate: (f: FunctionBuilder, out: Local, x: Expr) => Expr[]): Lanes1 => (r, x) => r.temporary((out) => generate(r.f, out, x));

const UNARY: Partial<Record<scalar.ScalarType, Partial<Record<scalar.UnaryOp, Lanes1>>>> = {
  f32: {
    neg: (r, x) => r.f.f32x4.neg(x),
    abs: (r, x) => r.f.f32x4.abs(x),
    sqrt: (r, x) => r.f.f32x4.sqrt(x),
    floor: (r, x) => r.f.f32x4.floor(x),
    trunc: (r, x) => r.f.lanes.f32Trunc(x),
    round: (r, x) => r.f.f32x4.nearest(x),
    exp: into(vexpExactInto),
    log: into(vlogExactInto),
    erf: into(verfInto),
    tanh: into(vtanhInto),
  },
  i32: { neg: (r, x) => r.f.lanes.i32Sub(r.f.f32x4.zero(), x), abs: (r, x) => r.f.lanes.i32Abs(x), floor: (_r, x) => x, trunc: (_r, x) => x, round: (_r, x) => x },
};

const BINARY: Partial<Record<scalar.ScalarType, Partial<Record<scalar.BinaryOp, Lanes2>>>> = {
  f32: {
    add: (r, a, b) => r.f.f32x4.add(a, b),
    sub: (r, a, b) => r.f.f32x4.sub(a, b),
    mul: (r, a, b) => r.f.f32x4.mul(a, b),
    div: (r, a, b) => r.f.f32x4.div(a, b),
    max: (r, a, b) => r.f.f32x4.max(a, b),
    min: (r, a, b) => r.f.f32x4.min(a, b),
    pow: (r, a, b) => r.temporary((out) => powLanes(r.f, out, a, b)),
  },
  i32: {
    add: (r, a, b) => r.f.f32x4.i32x4Add(a, b),
    sub: (r, a, b) => r.f.lanes.i32Sub(a, b),
    mul: (r, a, b) => r.f.lanes.i32Mul(a, b),
    max: (r, a, b) => r.f.lanes.i32Max(a, b),
    min: (r, a, b) => r.f.lanes.i32Min(a, b),
  },
  bool: { and: (r, a, b) => r.f.f32x4.and(a, b), or: (r, a, b) => r.f.f32x4.or(a, b) },
};

/** Comparisons giving masks, by operand type (bools compare as i32 lanes). */
const COMPARE: Record<'f32' | 'i32', Record<scalar.CompareOp, Lanes2>> = {
  f32: {
    eq: (r, a, b) => r.f.f32x4.eq(a, b),
    ne: (r, a, b) => r.f.lanes.f32Ne(a, b),
    lt: (r, a, b) => r.f.f32x4.lt(a, b),
    le: (r, a, b) => r.f.f32x4.le(a, b),
    gt: (r, a, b) => r.f.f32x4.gt(a, b),
    ge: (r, a, b) => r.f.f32x4.ge(a, b),
  },
  i32: {
    eq: (r, a, b) => r.f.lanes.i32Eq(a, b),
    ne: (r, a, b) => r.f.lanes.i32Ne(a, b),
    lt: (r, a, b) => r.f.f32x4.i32x4Lt(a, b),
    le: (r, a, b) => r.f.f32x4.i32x4Le(a, b),
    gt: (r, a, b) => r.f.f32x4.i32x4Gt(a, b),
    ge: (r, a, b) => r.f.f32x4.i32x4Ge(a, b),
  },
};

/** True when the node has a vector form (its operands aside). */
function vectorizes(node: ScalarExpr): boolean {
  switch (node.kind) {
    case 'unary':
      return node.type === 'bool' ? node.op === 'not' : UNARY[node.type]?.[node.op] !== undefined;
    case 'binary':
      return BINARY[node.type]?.[node.op] !== undefined;
    case 'compare':
      return node.a.type !== 'i64';
    case 'isnan':
      return true;
    case 'convert':
      return node.type !== 'i64' && node.x.type !== 'i64';
    case 'const':
      return node.type !== 'i64';
    default:
      return node.kind !== 'call';
  }
}

const splatI32 = (f: FunctionBuilder, value: number): Expr => f.f32x4.i32x4Const([value, value, value, value]);

/** A rendered node: its lanes, as values (bools 0/1) or as a mask (bools all-ones/zero). */
interface Lanes {
  readonly expr: Expr;
  readonly mask: boolean;
}

class VectorRenderer {
  readonly statements: Expr[] = [];
  private readonly shared = new Map<ScalarExpr, { local: Local; mask: boolean }>();
  private readonly uses: Map<ScalarExpr, number>;

  constructor(
    readonly f: FunctionBuilder,
    root: ScalarExpr,
    private readonly inputs: readonly Expr[],
  ) {
    this.uses = scalar.useCounts(root);
  }

  /** Statements `generate` returns for a new temporary, whose value is the result. */
  temporary(generate: (out: Local) => Expr[]): Expr {
    const out = this.f.temp('v128');
    this.statements.push(...generate(out));
    return out.get();
  }

  /** The node's lanes as values (a bool as 0/1 lanes). */
  value(node: ScalarExpr): Expr {
    const lanes = this.lanes(node);
    return lanes.mask ? this.f.f32x4.and(lanes.expr, splatI32(this.f, 1)) : lanes.expr;
  }

  /** A bool node's lanes as a mask. */
  mask(node: ScalarExpr): Expr {
    const lanes = this.lanes(node);
    return lanes.mask ? lanes.expr : this.f.lanes.i32Ne(lanes.expr, this.f.f32x4.zero());
  }

  private lanes(node: ScalarExpr): Lanes {
    const stored = this.shared.get(node);
    if (stored) return { expr: stored.local.get(), mask: stored.mask };
    const lanes = this.compute(node);
    if ((this.uses.get(node) ?? 0) < 2) return lanes;
    const local = this.f.temp('v128');
    this.statements.push(local.set(lanes.expr));
    this.shared.set(node, { local, mask: lanes.mask });
    return { expr: local.get(), mask: lanes.mask };
  }

  private compute(node: ScalarExpr): Lanes {
    const v = this.f.f32x4;
    switch (node.kind) {
      case 'input':
        return { expr: this.inputs[node.index], mask: false };
      case 'const':
        return { expr: node.type === 'f32' ? v.const(node.value) : splatI32(this.f, node.value), mask: false };
      case 'unary':
        if (node.type === 'bool') return { expr: v.not(this.mask(node.x)), mask: true };
        return { expr: UNARY[node.type]![node.op]!(this, this.value(node.x)), mask: false };
      case 'binary':
        if (node.type === 'bool') return { expr: BINARY.bool![node.op]!(this, this.mask(node.a), this.mask(node.b)), mask: true };
        return { expr: BINARY[node.type]![node.op]!(this, this.value(node.a), this.value(node.b)), mask: false };
      case 'compare':
        return { expr: COMPARE[node.a.type === 'f32' ? 'f32' : 'i32'][node.op](this, this.value(node.a), this.value(node.b)), mask: true };
      case 'isnan': {
        const x = this.f.temp('v128');
        this.statements.push(x.set(this.value(node.x)));
        return { expr: this.f.lanes.f32Ne(x.get(), x.get()), mask: true };
      }
      case 'select':
        return { expr: v.select(this.mask(node.condition), this.value(node.then), this.value(node.otherwise)), mask: false };
      case 'convert':
        return this.convert(node.x, node.type);
      case 'muladd':
        return { expr: v.fma(this.value(node.a), this.value(node.b), this.value(node.c)), mask: false };
      case 'call':
        throw new Error('calls are inlined before rendering');
    }
  }

  private convert(x: ScalarExpr, to: scalar.ScalarType): Lanes {
    const v = this.f.f32x4;
    if (to === 'bool') return { expr: x.type === 'f32' ? this.f.lanes.f32Ne(this.value(x), v.zero()) : this.mask(x), mask: true };
    if (to === 'f32') return { expr: v.fromI32x4(this.value(x)), mask: false };
    return { expr: x.type === 'f32' ? v.i32x4TruncSat(this.value(x)) : this.value(x), mask: false };
  }
}

/** The nodes of an expression, each once. */
function nodesOf(root: ScalarExpr): ScalarExpr[] {
  return [...scalar.useCounts(root).keys()];
}

/** The vector form of `root`, or undefined when some node has none. */
export function vectorForm(root: ScalarExpr): VectorForm | undefined {
  const expression = scalar.inlineCalls(root);
  if (!nodesOf(expression).every(vectorizes)) return undefined;
  return (f, out, inputs) => {
    const renderer = new VectorRenderer(f, expression, inputs);
    const result = renderer.value(expression);
    return [...renderer.statements, out.set(result)];
  };
}

/**
 * A float math primitive the scalar form lacks (exp, log, erf, tanh, pow)
 * on scalar operands: computed on splatted lanes by the vector form, lane 0
 * kept. Returns the statements to run first and the f32 result.
 */
export function mathOnLane0(f: FunctionBuilder, node: ScalarExpr, operands: readonly Expr[]): { statements: Expr[]; value: Expr } {
  const leaves = operands.map((_, index) => scalar.input(index, 'f32'));
  const single = scalar.withOperands(node, leaves);
  const out = f.temp('v128');
  const renderer = new VectorRenderer(f, single, operands.map((operand) => f.f32x4.splat(operand)));
  const result = renderer.value(single);
  return { statements: [...renderer.statements, out.set(result)], value: f.f32x4.extract(out.get(), 0) };
}
