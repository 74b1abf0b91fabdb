/**
 * The activations with parameters or composite forms, one scalar
 * expression each (ONNX LeakyRelu-16, Elu-22, Selu-22, HardSigmoid-22,
 * HardSwish-22, Softplus-22, Softsign-22, Mish-22), float dtypes. Attribute
 * values are baked into the expression, and the kernel name says which
 * (the `variant`), so two nodes with different parameters never share a
 * kernel. Softplus uses the overflow-free form max(x, 0) + ln(1 + e^-|x|).
 */
import type { ElementwiseContext, OpDef } from '../op-def.js';
import { abs, add, constant, div, exp, log, lt, max, min, mul, neg, select, sub, tanh, type ScalarExpr } from '../scalar/expr.js';
import { defineElementwise, numberTag } from './elementwise.js';
import { FLOAT_TYPES } from './kernel-utils.js';

/** One float attribute of an activation: its name and ONNX default. */
interface Parameter {
  readonly name: string;
  readonly default: number;
}

/**
 * An activation of X: `expression(x, values)` with the node's values of
 * `parameters` (in order), named in the kernel by those values.
 */
function activation(name: string, summary: string, parameters: readonly Parameter[], expression: (x: ScalarExpr, values: readonly number[]) => ScalarExpr): OpDef {
  const values = (ctx: ElementwiseContext): number[] => parameters.map((parameter) => ctx.attrs.float(parameter.name));
  return defineElementwise({
    name,
    summary,
    kind: 'unary',
    inputs: [{ name: 'X', types: FLOAT_TYPES }],
    outputName: 'Y',
    attributes: Object.fromEntries(parameters.map((parameter) => [parameter.name, { type: 'float', default: parameter.default }])),
    expression: (ctx) => expression(ctx.inputs[0], values(ctx)),
    ...(parameters.length > 0 ? { variant: (ctx: ElementwiseContext) => values(ctx).map((value) => `_${numberTag(value)}`).join('') } : {}),
  });
}

const zero = (): ScalarExpr => constant(0);
const one = (): ScalarExpr => constant(1);

/** ln(1 + e^x) without overflow: max(x, 0) + ln(1 + e^-|x|). */
function softplus(x: ScalarExpr): ScalarExpr {
  return add(max(x, zero()), log(add(one(), exp(neg(abs(x))))));
}

/** max(0, min(1, alpha·x + beta)). */
function hardSigmoid(x: ScalarExpr, alpha: number, beta: number): ScalarExpr {
  return max(zero(), min(one(), add(mul(x, constant(alpha)), constant(beta))));
}

/** LeakyRelu: `alpha·X` below 0, else X (alpha 0.01). */
export const LeakyRelu = activation('LeakyRelu', 'alpha·X for X < 0, else X', [{ name: 'alpha', default: 0.01 }], (x, [alpha]) =>
  select(lt(x, zero()), mul(x, constant(alpha)), x),
);

/** Elu: `alpha·(e^X - 1)` below 0, else X (alpha 1). */
export const Elu = activation('Elu', 'alpha·(exp(X) - 1) for X < 0, else X', [{ name: 'alpha', default: 1 }], (x, [alpha]) =>
  select(lt(x, zero()), mul(sub(exp(x), one()), constant(alpha)), x),
);

/** Selu: `gamma·X` above 0, else `gamma·(alpha·e^X - alpha)` (ONNX's alpha ≈ 1.6733, gamma ≈ 1.0507). */
export const Selu = activation(
  'Selu',
  'gamma·X for X > 0, else gamma·(alpha·exp(X) - alpha)',
  [
    { name: 'alpha', default: 1.67326319217681884765625 },
    { name: 'gamma', default: 1.05070102214813232421875 },
  ],
  (x, [alpha, gamma]) => mul(select(lt(zero(), x), x, sub(mul(exp(x), constant(alpha)), constant(alpha))), constant(gamma)),
);

/** HardSigmoid: `max(0, min(1, alpha·X + beta))` (alpha 0.2, beta 0.5). */
export const HardSigmoid = activation(
  'HardSigmoid',
  'max(0, min(1, alpha·X + beta))',
  [
    { name: 'alpha', default: 0.2 },
    { name: 'beta', default: 0.5 },
  ],
  (x, [alpha, beta]) => hardSigmoid(x, alpha, beta),
);

/** HardSwish: `X · max(0, min(1, X/6 + 1/2))`. */
export const HardSwish = activation('HardSwish', 'X · HardSigmoid(X) with alpha 1/6, beta 1/2', [], (x) => mul(x, hardSigmoid(x, 1 / 6, 0.5)));

/** Softplus: `ln(1 + e^X)`. */
export const Softplus = activation('Softplus', 'ln(1 + exp(X))', [], softplus);

/** Softsign: `X / (1 + |X|)`. */
export const Softsign = activation('Softsign', 'X / (1 + |X|)', [], (x) => div(x, add(one(), abs(x))));

/** Mish: `X · tanh(softplus(X))`. */
export const Mish = activation('Mish', 'X · tanh(ln(1 + exp(X)))', [], (x) => mul(x, tanh(softplus(x))));

/** Every op of this file, for the op set. */
export const ACTIVATION_OPS: readonly OpDef[] = [LeakyRelu, Elu, Selu, HardSigmoid, HardSwish, Softplus, Softsign, Mish];
