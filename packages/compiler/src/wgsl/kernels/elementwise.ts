/**
 * Element-wise kernels: `y[e] = f(x0, x1, x2)` with NumPy broadcasting.
 * Operand i is read at `e` when it has the output's shape, else at the
 * broadcast offset Σ index·stride with its strides as uniforms (0 on
 * broadcast axes). The expression is compiled in (a bool result is stored
 * as u32 0/1); shapes are uniforms.
 */
import { computeType, elementTag, load, store, wrapToDtype } from '../elements.js';
import type { KernelDecl, StorageDecl, UniformDecl, WgslElement } from '../kernel.js';
import type { WgslExpression } from './elementwise-expression.js';
import { decomposeIndex, FLAT_PARAMS, FLAT_WORKGROUP, flatLoop, rankFields } from './flat.js';

/** One operand of a map kernel. */
export interface MapOperand {
  readonly element: WgslElement;
  /** True when the operand is read through broadcast strides (its shape differs from the output's). */
  readonly broadcast: boolean;
}

/** What a map kernel computes. */
export interface MapSpec {
  /** Kernel family name, e.g. `add` or `gelu_tanh`. */
  readonly op: string;
  readonly operands: readonly MapOperand[];
  readonly output: WgslElement;
  /** The element's value: `let` lines, then an expression over `x0`, `x1`, ... (each in its compute type; see elementwise-expression.ts). */
  readonly expression: WgslExpression;
  /** The output's dtype when it is 8-bit: the value is wrapped to it before it is stored. */
  readonly narrow?: 'i8' | 'u8';
}

/** The storage binding name of operand i. */
export function operandBinding(index: number): string {
  return `in${index}`;
}

/** The uniform stride prefix of operand i. */
export function operandStrides(index: number): string {
  return `in${index}_stride`;
}

/** The kernel name of a map spec: op, operand elements (`b` = broadcast), output element. */
export function mapKernelName(spec: MapSpec): string {
  const operands = spec.operands.map((operand) => elementTag(operand.element) + (operand.broadcast ? 'b' : '')).join('_');
  return `map_${spec.op}_${operands}_to_${spec.narrow ?? elementTag(spec.output)}`;
}

/** The declared kernel of a map spec. */
export function mapKernel(spec: MapSpec): KernelDecl {
  const storage: StorageDecl[] = [
    ...spec.operands.map((operand, i): StorageDecl => ({ name: operandBinding(i), access: 'read', element: operand.element })),
    { name: 'y', access: 'read_write', element: spec.output },
  ];
  const broadcasting = spec.operands.some((operand) => operand.broadcast);
  const uniforms: UniformDecl[] = [{ name: 'count', type: 'u32' }];
  if (broadcasting) {
    uniforms.push(...rankFields('dim', 'u32'));
    spec.operands.forEach((operand, i) => {
      if (operand.broadcast) uniforms.push(...rankFields(operandStrides(i), 'u32'));
    });
  }
  return {
    name: mapKernelName(spec),
    summary: `element-wise ${spec.op}`,
    storage,
    uniforms,
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    ...(spec.expression.helpers ? { helpers: spec.expression.helpers } : {}),
    entryParams: FLAT_PARAMS,
    entryBody: mapBody(spec, broadcasting),
  };
}

function mapBody(spec: MapSpec, broadcasting: boolean): string {
  const lines = [`  ${flatLoop('count')} {`];
  if (broadcasting) {
    const offsets = spec.operands.flatMap((operand, i) => (operand.broadcast ? [{ variable: `at${i}`, strides: operandStrides(i) }] : []));
    for (const offset of offsets) lines.push(`    var ${offset.variable} = 0u;`);
    lines.push(decomposeIndex(offsets));
  }
  spec.operands.forEach((operand, i) => {
    const index = operand.broadcast ? `at${i}` : 'e';
    lines.push(`    let x${i}: ${computeType(operand.element)} = ${load(operandBinding(i), index, operand.element)};`);
  });
  const value = spec.output === 'u32' ? `select(0u, 1u, ${spec.expression.value})` : spec.narrow ? wrapToDtype(spec.expression.value, spec.narrow) : spec.expression.value;
  lines.push(...spec.expression.lines, `    y[e] = ${store(value, spec.output)};`, '  }');
  return lines.join('\n');
}
