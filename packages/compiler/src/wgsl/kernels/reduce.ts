/**
 * Reductions over any set of axes, rendered from a reduction's definition
 * (@ladon/ir ReductionDefinition): one invocation per output element. Its
 * kept coordinates (dims `dim0..5`, the input shape with the reduced axes
 * set to 1) give a base offset; a loop over the reduced sub-space (dims
 * `reduced_dim0..5`) combines each element's contribution (`map`) into the
 * accumulator, which `finish` turns into the result. Max-shifted
 * reductions (log-sum-exp) first loop once for the maximum. Floats
 * accumulate in f32, integers in i32 (i64 tensors are i32 on the GPU),
 * bools as WGSL bools.
 */
import { combineIdentity, scalar, type ReductionDefinition, type ScalarType } from '@ladon/ir';
import { elementTag, load, store } from '../elements.js';
import type { KernelDecl, WgslElement } from '../kernel.js';
import { mergedHelpers, wgslExpression, type WgslExpression } from './elementwise-expression.js';
import { decomposeIndex, FLAT_PARAMS, FLAT_WORKGROUP, flatLoop, rankFields } from './flat.js';

/** A reduction for one storage element, as the kernel renders it. */
export interface ReduceKernelSpec {
  /** The op's name part, e.g. `logsumexp`. */
  readonly name: string;
  readonly definition: ReductionDefinition;
  readonly element: WgslElement;
}

/** The accumulator's WGSL type (bools as u32 0/1, i64 as i32 on the GPU), its scalar type and the identity it starts from. */
function accumulatorOf(definition: ReductionDefinition): { type: string; scalarType: ScalarType; identity: string } {
  const scalarType: ScalarType = definition.accumulator === 'i64' ? 'i32' : definition.accumulator;
  const identity = combineIdentity(definition.combine, scalarType) as number;
  if (scalarType === 'bool') return { type: 'u32', scalarType, identity: `${identity}u` };
  return { type: scalarType, scalarType, identity: wgslExpression(scalar.constant(identity, scalarType)).value };
}

/**
 * A block computing `target` from an expression: `let x<i> = <value>;` for
 * its inputs (bools as u32), its own lines, and its value (a bool value as
 * u32 0/1).
 */
function evaluate(expression: WgslExpression, inputs: readonly string[], target: string, type: ScalarType): string[] {
  const value = type === 'bool' ? `select(0u, 1u, ${expression.value})` : expression.value;
  return ['    {', ...inputs.map((input, index) => `    let x${index} = ${input};`), ...expression.lines, `    ${target} = ${value};`, '    }'];
}

/** The declared reduction kernel. */
export function reduceKernel(spec: ReduceKernelSpec): KernelDecl {
  const { definition, element } = spec;
  const accumulator = accumulatorOf(definition);
  const type = accumulator.scalarType;
  const operand = (index: number) => scalar.input(index, type);
  const combine = wgslExpression(scalar.binaryExpr(definition.combine, operand(0), operand(1)));
  const [map, finish] = [wgslExpression(definition.map), wgslExpression(definition.finish)];
  const helpers = mergedHelpers([map, combine, finish, ...(type === 'f32' ? [wgslExpression(scalar.constant(combineIdentity(definition.combine, 'f32') as number))] : [])]);
  const element0 = definition.shiftByMax ? `${load('x', 'at', element)} - shift` : load('x', 'at', element);
  const loop = (body: string[]): string[] => [
    '    for (var r = 0u; r < u.reduced_count; r++) {',
    '    var at = base;',
    decomposeIndex([{ variable: 'at', strides: 'reduced_stride' }], { index: 'r', dims: 'reduced_dim' }),
    ...body,
    '    }',
  ];
  const shift = definition.shiftByMax
    ? ['    var shift = -3.402823e38;', ...loop([`    shift = max(shift, ${load('x', 'at', element)});`]), '    if (!(abs(shift) <= 3.402823e38)) { shift = 0.0; }']
    : [];
  const body = [
    `  ${flatLoop('count')} {`,
    '    var base = 0u;',
    decomposeIndex([{ variable: 'base', strides: 'kept_stride' }]),
    ...shift,
    `    var acc: ${accumulator.type} = ${accumulator.identity};`,
    ...loop([
      `    var contribution: ${accumulator.type};`,
      ...evaluate(map, [element0], 'contribution', type),
      ...evaluate(combine, ['acc', 'contribution'], 'acc', type),
    ]),
    `    var result: ${accumulator.type};`,
    ...evaluate(finish, ['acc', `${accumulator.type}(u.reduced_count)`], 'result', type),
    `    y[e] = ${store(definition.shiftByMax ? 'result + shift' : 'result', element)};`,
    '  }',
  ];
  return {
    name: `reduce_${spec.name}_${elementTag(element)}`,
    summary: `${spec.name} over a set of axes`,
    storage: [
      { name: 'x', access: 'read', element },
      { name: 'y', access: 'read_write', element },
    ],
    uniforms: [
      { name: 'count', type: 'u32' },
      { name: 'reduced_count', type: 'u32' },
      ...rankFields('dim', 'u32'),
      ...rankFields('kept_stride', 'u32'),
      ...rankFields('reduced_dim', 'u32'),
      ...rankFields('reduced_stride', 'u32'),
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    ...(helpers ? { helpers } : {}),
    entryParams: FLAT_PARAMS,
    entryBody: body.join('\n'),
  };
}

