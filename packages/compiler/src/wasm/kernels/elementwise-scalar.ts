/**
 * Renders a scalar expression as the scalar form of an element-wise kernel:
 * one element, f32 values as f32, i32 and bool as i32 (0/1), i64 as i64.
 * Inputs are loaded afresh at every use (a load is cheap); other shared
 * nodes live in a local, except i64 ones, which are recomputed (the
 * function builder has no i64 locals). Integer division gives 0 for a zero
 * divisor and negates for -1 (no traps), as the vocabulary says. The float
 * math primitives wasm has no instruction for (exp, log, erf, tanh, pow)
 * run the vector form's functions on splatted lanes, keeping lane 0, so
 * every expression has a scalar form (i64 values and f32 math may meet in
 * one expression, as in Pow of an i64 by an f32).
 */
import { scalar, type ScalarExpr } from '@ladon/ir';
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import { mathOnLane0 } from './elementwise-vector.js';

/** The scalar form of an element-wise op: one result from thunks that load each input afresh. */
export type ScalarForm = (f: FunctionBuilder, inputs: readonly (() => Expr)[]) => Expr;

type Thunk = () => Expr;

/** The integer operations of one width. */
interface IntegerOps {
  const(value: number): Expr;
  add(a: Expr, b: Expr): Expr;
  sub(a: Expr, b: Expr): Expr;
  mul(a: Expr, b: Expr): Expr;
  divS(a: Expr, b: Expr): Expr;
  eq(a: Expr, b: Expr): Expr;
  ne(a: Expr, b: Expr): Expr;
  lt(a: Expr, b: Expr): Expr;
  le(a: Expr, b: Expr): Expr;
  gt(a: Expr, b: Expr): Expr;
  ge(a: Expr, b: Expr): Expr;
  select(condition: Expr, ifTrue: Expr, ifFalse: Expr): Expr;
}

/** Integer `op` on thunks; division by 0 gives 0 and by -1 negates (no traps). */
function integerBinary(ops: IntegerOps, op: scalar.BinaryOp, a: Thunk, b: Thunk): Expr {
  switch (op) {
    case 'add': return ops.add(a(), b());
    case 'sub': return ops.sub(a(), b());
    case 'mul': return ops.mul(a(), b());
    case 'max': return ops.select(ops.lt(a(), b()), b(), a());
    case 'min': return ops.select(ops.lt(b(), a()), b(), a());
    case 'div': {
      const safeDivisor = ops.select(ops.eq(b(), ops.const(0)), ops.const(1), ops.select(ops.eq(b(), ops.const(-1)), ops.const(1), b()));
      const quotient = ops.select(ops.eq(b(), ops.const(-1)), ops.sub(ops.const(0), a()), ops.divS(a(), safeDivisor));
      return ops.select(ops.eq(b(), ops.const(0)), ops.const(0), quotient);
    }
    default: throw new Error(`no integer ${op}`);
  }
}

type Float1 = (f: FunctionBuilder, x: Expr) => Expr;
type Float2 = (f: FunctionBuilder, a: Expr, b: Expr) => Expr;

/** The f32 primitives wasm has as scalar instructions. */
const FLOAT_UNARY: Partial<Record<scalar.UnaryOp, Float1>> = {
  neg: (f, x) => f.f32.neg(x),
  abs: (f, x) => f.f32.abs(x),
  sqrt: (f, x) => f.f32.sqrt(x),
  floor: (f, x) => f.f32.floor(x),
  trunc: (f, x) => f.f32.trunc(x),
  round: (f, x) => f.f32.nearest(x),
};

/** Integer unary primitives (floor, trunc and round leave integers as they are). */
const INTEGER_UNARY: readonly scalar.UnaryOp[] = ['neg', 'abs', 'floor', 'trunc', 'round'];

const FLOAT_BINARY: Partial<Record<scalar.BinaryOp, Float2>> = {
  add: (f, a, b) => f.f32.add(a, b),
  sub: (f, a, b) => f.f32.sub(a, b),
  mul: (f, a, b) => f.f32.mul(a, b),
  div: (f, a, b) => f.f32.div(a, b),
  max: (f, a, b) => f.f32.max(a, b),
  min: (f, a, b) => f.f32.min(a, b),
};

const INTEGER_BINARY: readonly scalar.BinaryOp[] = ['add', 'sub', 'mul', 'max', 'min', 'div'];

/** True when the node has a scalar form (its operands aside); f32 math runs on lane 0 of the vector form. */
function hasScalarNode(node: ScalarExpr): boolean {
  switch (node.kind) {
    case 'unary':
      if (node.type === 'bool') return node.op === 'not';
      return node.type === 'f32' || INTEGER_UNARY.includes(node.op);
    case 'binary':
      if (node.type === 'bool') return node.op === 'and' || node.op === 'or';
      return node.type === 'f32' ? FLOAT_BINARY[node.op] !== undefined || node.op === 'pow' : INTEGER_BINARY.includes(node.op);
    default:
      return node.kind !== 'call';
  }
}

class ScalarRenderer {
  private readonly shared = new Map<ScalarExpr, Local>();
  private readonly uses: Map<ScalarExpr, number>;
  readonly statements: Expr[] = [];

  constructor(
    private readonly f: FunctionBuilder,
    root: ScalarExpr,
    private readonly inputs: readonly Thunk[],
  ) {
    this.uses = scalar.useCounts(root);
  }

  /** The node's value (computed once into a local when it is shared, unless it is an input or an i64). */
  value(node: ScalarExpr): Expr {
    const local = this.shared.get(node);
    if (local) return local.get();
    const expr = this.compute(node);
    if ((this.uses.get(node) ?? 0) < 2 || node.kind === 'input' || node.type === 'i64') return expr;
    const stored = this.f.temp(node.type === 'f32' ? 'f32' : 'i32');
    this.statements.push(stored.set(expr));
    this.shared.set(node, stored);
    return stored.get();
  }

  private integerOps(type: scalar.ScalarType): IntegerOps {
    return type === 'i64' ? this.f.i64 : this.f.i32;
  }

  private compute(node: ScalarExpr): Expr {
    const f = this.f;
    const thunk = (operand: ScalarExpr): Thunk => () => this.value(operand);
    switch (node.kind) {
      case 'input':
        return this.inputs[node.index]();
      case 'const':
        return node.type === 'f32' ? f.f32.const(node.value) : this.integerOps(node.type).const(node.value);
      case 'unary':
        if (node.type === 'bool') return f.i32.eqz(this.value(node.x));
        if (node.type === 'f32') return FLOAT_UNARY[node.op] ? FLOAT_UNARY[node.op]!(f, this.value(node.x)) : this.onLane0(node);
        return this.integerUnary(node.op, node.type, thunk(node.x));
      case 'binary':
        if (node.type === 'bool') return (node.op === 'and' ? f.i32.and : f.i32.or)(this.value(node.a), this.value(node.b));
        if (node.type === 'f32') return FLOAT_BINARY[node.op] ? FLOAT_BINARY[node.op]!(f, this.value(node.a), this.value(node.b)) : this.onLane0(node);
        return integerBinary(this.integerOps(node.type), node.op, thunk(node.a), thunk(node.b));
      case 'isnan': {
        const x = this.f.temp('f32');
        this.statements.push(x.set(this.value(node.x)));
        return f.f32.ne(x.get(), x.get());
      }
      case 'compare': {
        const ops = node.a.type === 'f32' ? f.f32 : this.integerOps(node.a.type);
        return ops[node.op](this.value(node.a), this.value(node.b));
      }
      case 'select':
        return f.i32.select(this.value(node.condition), this.value(node.then), this.value(node.otherwise));
      case 'convert':
        return this.convert(node.x.type, node.type, thunk(node.x));
      case 'muladd':
        return f.f32.add(f.f32.mul(this.value(node.a), this.value(node.b)), this.value(node.c));
      case 'call':
        throw new Error('calls are inlined before rendering');
    }
  }

  /** A float math primitive on lane 0 of its vector form. */
  private onLane0(node: ScalarExpr): Expr {
    const { statements, value } = mathOnLane0(this.f, node, scalar.operandsOf(node).map((operand) => this.value(operand)));
    this.statements.push(...statements);
    return value;
  }

  /** neg and abs (no traps: the most negative value stays itself); floor, trunc and round leave integers as they are. */
  private integerUnary(op: scalar.UnaryOp, type: scalar.ScalarType, x: Thunk): Expr {
    const ops = this.integerOps(type);
    if (op === 'neg') return ops.sub(ops.const(0), x());
    if (op === 'abs') return ops.select(ops.lt(x(), ops.const(0)), ops.sub(ops.const(0), x()), x());
    return x();
  }

  private convert(from: scalar.ScalarType, to: scalar.ScalarType, x: Thunk): Expr {
    const f = this.f;
    if (to === 'bool') {
      if (from === 'f32') return f.f32.ne(x(), f.f32.const(0));
      if (from === 'i64') return f.i32.eqz(f.i64.eqz(x()));
      return f.i32.ne(x(), f.i32.const(0));
    }
    if (to === 'i64') return from === 'f32' ? f.i64.fromF32(x()) : f.i64.fromI32(x());
    if (to === 'i32') return from === 'f32' ? f.i32.fromF32(x()) : from === 'i64' ? f.i64.toI32(x()) : x();
    return from === 'i64' ? f.i64.toF32(x()) : f.f32.fromI32(x());
  }
}

/** The scalar form of `root`, or undefined when some node has none (float math primitives). */
export function scalarForm(root: ScalarExpr): ScalarForm | undefined {
  const expression = scalar.inlineCalls(root);
  const render = (f: FunctionBuilder, inputs: readonly Thunk[]): Expr => {
    const renderer = new ScalarRenderer(f, expression, inputs);
    const result = renderer.value(expression);
    return renderer.statements.length === 0 ? result : f.valueBlock(renderer.statements, result);
  };
  return [...scalar.useCounts(expression).keys()].every(hasScalarNode) ? render : undefined;
}
