/**
 * GELU from its decomposed forms:
 *
 * - exact: `x · 0.5 · (1 + Erf(x / √2))`, the Erf argument written as
 *   `Div(x, 1.4142135)` or `Mul(x, 0.70710678)` -> `Gelu(x)`;
 * - tanh: `0.5 · x · (1 + Tanh(√(2/π) · (x + 0.044715 · x³)))`, the cube
 *   written as `Pow(x, 3)` or `x · (x · x)` -> `Gelu(x, approximate='tanh')`.
 *
 * The 0.5 may multiply the product last (PyTorch's `Mul -> Mul 0.5`), the
 * `1 + ...` factor, or x first; every Add and Mul may have its operands in
 * either order. Constants match within a relative tolerance of 1e-4.
 */
import { isFloatDType, shapesEqual } from '@ladon/ir';
import { insertOp } from '../graph-edit.js';
import { capture, constant, oneOf, op, type OpPattern, type Pattern } from '../rewrite/pattern.js';
import { rulePass, type RewriteRule } from '../rewrite/rewriter.js';
import { scalarNear } from './constant-scalars.js';

const near = (value: number): Pattern => constant(undefined, scalarNear(value));
const x = capture('x');

const erfArgument = oneOf(op('Div', [x, near(Math.SQRT2)]), op('Mul', [x, near(Math.SQRT1_2)]));
const onePlusErf = op('Add', [op('Erf', [erfArgument]), near(1)]);

const cube = oneOf(op('Pow', [x, near(3)]), op('Mul', [x, op('Mul', [x, x])]));
const tanhArgument = op('Mul', [op('Add', [x, op('Mul', [cube, near(0.044715)])]), near(Math.sqrt(2 / Math.PI))]);
const onePlusTanh = op('Add', [op('Tanh', [tanhArgument]), near(1)]);

/** Where the 0.5 sits in `0.5 · x · (1 + ...)`. */
type HalfPlacement = 'half-outside' | 'half-with-activation' | 'half-with-x';

/** The product `0.5 · x · onePlus` with the 0.5 placed as `placement` says. */
function halfProduct(onePlus: Pattern, placement: HalfPlacement): OpPattern {
  const half = near(0.5);
  switch (placement) {
    case 'half-outside':
      return op('Mul', [op('Mul', [x, onePlus]), half]);
    case 'half-with-activation':
      return op('Mul', [x, op('Mul', [onePlus, half])]);
    case 'half-with-x':
      return op('Mul', [op('Mul', [x, half]), onePlus]);
  }
}

function geluRule(kind: 'erf' | 'tanh', placement: HalfPlacement): RewriteRule {
  return {
    name: `gelu-${kind}-${placement}`,
    pattern: halfProduct(kind === 'erf' ? onePlusErf : onePlusTanh, placement),
    check(match, graph) {
      const input = graph.typeOf(match.values.get('x')!);
      return isFloatDType(input.dtype) && shapesEqual(graph.typeOf(match.root.outputs[0]).shape, input.shape);
    },
    rewrite: (match, graph) =>
      insertOp(graph, 'Gelu', [match.values.get('x')!], kind === 'tanh' ? { approximate: 'tanh' } : {}, { before: match.root, name: 'gelu' }),
  };
}

const PLACEMENTS: readonly HalfPlacement[] = ['half-outside', 'half-with-activation', 'half-with-x'];

/** The exact (erf) GELU rules, one per placement of the 0.5. */
export const geluErfRules: readonly RewriteRule[] = PLACEMENTS.map((placement) => geluRule('erf', placement));

/** The tanh-approximated GELU rules, one per placement of the 0.5. */
export const geluTanhRules: readonly RewriteRule[] = PLACEMENTS.map((placement) => geluRule('tanh', placement));

/** Fuses decomposed GELU (erf and tanh forms) into Gelu. Counters: `gelu-{erf,tanh}-half-{outside,with-activation,with-x}`. */
export const fuseGeluPass = rulePass('fuse-gelu', 'decomposed GELU (erf or tanh form) becomes Gelu', [...geluErfRules, ...geluTanhRules]);
