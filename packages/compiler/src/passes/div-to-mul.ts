/**
 * `x / c` with a float constant `c` becomes `x * (1/c)`, so later patterns
 * see one form of scaling. (Integer division stays: it truncates.)
 */
import { tensor, type Tensor } from '@ladon/ir';
import { insertConstant, insertOp } from '../graph-edit.js';
import { capture, constant, op } from '../rewrite/pattern.js';
import { rulePass, type RewriteRule } from '../rewrite/rewriter.js';
import { numericValues } from '@ladon/ir';

function reciprocal(value: Tensor): Tensor {
  const values = numericValues(value);
  return tensor(value.dtype, value.shape, Array.from(values, (x) => 1 / x));
}

/** Div by a float constant -> Mul by its reciprocal. */
export const divByConstantToMul: RewriteRule = {
  name: 'div-by-constant-to-mul',
  pattern: op('Div', [capture('x'), constant('c', (value) => value.dtype === 'f32' || value.dtype === 'f16')], { as: 'div' }),
  rewrite(match, graph) {
    const divisor = match.constants.get('c')!;
    const scale = insertConstant(graph, reciprocal(divisor), `${match.values.get('c')}_reciprocal`);
    return insertOp(graph, 'Mul', [match.values.get('x')!, scale], {}, { before: match.root });
  },
};

/** The pass form of {@link divByConstantToMul}. */
export const divToMulPass = rulePass('div-to-mul', 'division by a float constant becomes multiplication', [divByConstantToMul]);
