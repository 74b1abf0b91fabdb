/**
 * Element-wise ops lowered to map kernels: unary float functions (Relu,
 * Gelu, Erf, Tanh, Exp, Sqrt), arithmetic with broadcasting (Add, Sub, Mul,
 * Div, Pow), Equal, Where and Cast.
 */
import { dtypeToOnnxType, getOpDef, OpContext, onnxTypeToDType, productOfDims, type Dim, type DType, type Node } from '@ladon/ir';
import { layoutStrides } from '../../lower/plans/broadcast.js';
import type { ElementwisePlan } from '../../lower/plans/elementwise.js';
import { computeType, deviceElement, padLeft } from '../elements.js';
import type { WgslElement } from '../kernel.js';
import { mapKernel, operandBinding, operandStrides, type MapSpec } from '../kernels/elementwise.js';
import { FLAT_WORKGROUP, MAX_RANK, rankValues } from '../kernels/flat.js';
import { flatLaunch, unsupported, type WgslLowering } from '../lowering.js';

/** WGSL helpers an expression may call, by name: erf by Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7), a tanh safe from overflow, a power with ONNX's sign rules. */
const MATH_HELPERS: Readonly<Record<string, string>> = {
  erf_approx: `fn erf_approx(x: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.3275911 * abs(x));
  let poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return sign(x) * (1.0 - poly * exp(-x * x));
}`,
  tanh_safe: `fn tanh_safe(x: f32) -> f32 {
  return tanh(clamp(x, -15.0, 15.0));
}`,
  pow_onnx: `// Not a const: a constant NaN does not exist in WGSL.
var<private> nan_bits: u32 = 0x7fc00000u;

fn pow_onnx(base: f32, exponent: f32) -> f32 {
  if (exponent == 0.0) { return 1.0; }
  let magnitude = pow(abs(base), exponent);
  if (base < 0.0 && exponent == floor(exponent) && fract(exponent * 0.5) != 0.0) { return -magnitude; }
  if (base < 0.0 && exponent != floor(exponent)) { return bitcast<f32>(nan_bits); }
  return magnitude;
}`,
};

/** The helpers `expression` calls. */
function helpersFor(expression: string): string | undefined {
  const used = Object.entries(MATH_HELPERS).filter(([name]) => expression.includes(`${name}(`));
  return used.length > 0 ? used.map(([, source]) => source).join('\n\n') : undefined;
}

const UNARY_FLOAT: Readonly<Record<string, string>> = {
  Relu: 'max(x0, 0.0)',
  Exp: 'exp(x0)',
  Sqrt: 'sqrt(x0)',
  Tanh: 'tanh_safe(x0)',
  Erf: 'erf_approx(x0)',
};

const GELU: Readonly<Record<string, string>> = {
  none: '0.5 * x0 * (1.0 + erf_approx(x0 * 0.70710678118654752))',
  tanh: '0.5 * x0 * (1.0 + tanh_safe(0.79788456080286536 * (x0 + 0.044715 * x0 * x0 * x0)))',
};

const BINARY: Readonly<Record<string, string>> = { Add: 'x0 + x1', Sub: 'x0 - x1', Mul: 'x0 * x1', Div: 'x0 / x1' };

/** Emits one element-wise node: the map kernel over the plan's collapsed broadcast layout (at most six axes). */
export function emitElementwise(lowering: WgslLowering, plan: ElementwisePlan): void {
  const { node, layout } = plan;
  const { expression, op } = expressionOf(lowering, node);
  const broadcast = layout.broadcast.map((mask) => mask.some(Boolean));
  const spec: MapSpec = {
    op,
    operands: plan.inputTypes.map((dtype, index) => ({ element: deviceElement(dtype), broadcast: broadcast[index] })),
    output: deviceElement(plan.outputType),
    expression,
    ...(helpersFor(expression) ? { helpers: helpersFor(expression) } : {}),
  };
  const what = `${node.op} ${plan.output}`;
  const count = productOfDims(lowering.graph.typeOf(plan.output).shape);
  const uniforms: Record<string, Dim> = { count };
  if (broadcast.some(Boolean)) {
    Object.assign(uniforms, rankValues('dim', padLeft(layout.dims, MAX_RANK, 1, what)));
    broadcast.forEach((isBroadcast, index) => {
      if (isBroadcast) Object.assign(uniforms, rankValues(operandStrides(index), padLeft(layoutStrides(layout, index), MAX_RANK, 0, what)));
    });
  }
  const buffers: Record<string, number> = { y: lowering.buffer(plan.output) };
  plan.inputs.forEach((input, index) => (buffers[operandBinding(index)] = lowering.buffer(input)));
  lowering.call(mapKernel(spec), node, { buffers, uniforms }, flatLaunch(count, FLAT_WORKGROUP));
}

function expressionOf(lowering: WgslLowering, node: Node): { expression: string; op: string } {
  const dtype = lowering.graph.typeOf(node.inputs[0]).dtype;
  const float = dtype === 'f32' || dtype === 'f16';
  const op = node.op.toLowerCase();
  if (node.op in UNARY_FLOAT) {
    if (node.op === 'Relu' && !float) return { expression: `max(x0, ${zero(deviceElement(dtype))})`, op };
    if (!float) throw unsupported(node, `${node.op} on ${dtype}`);
    return { expression: UNARY_FLOAT[node.op], op };
  }
  if (node.op === 'Gelu') {
    const approximate = new OpContext(node, getOpDef(node.op)).string('approximate');
    return { expression: GELU[approximate], op: `gelu_${approximate}` };
  }
  if (node.op in BINARY) {
    if (dtype === 'bool') throw unsupported(node, `${node.op} on bool`);
    return { expression: BINARY[node.op], op };
  }
  if (node.op === 'Pow') {
    if (!float || !isFloat(lowering.graph.typeOf(node.inputs[1]).dtype)) throw unsupported(node, 'Pow on integers');
    return { expression: 'pow_onnx(x0, x1)', op };
  }
  if (node.op === 'Equal') return { expression: 'select(0u, 1u, x0 == x1)', op };
  if (node.op === 'Where') return { expression: 'select(x2, x1, x0 != 0u)', op };
  return castExpression(lowering, node, dtype);
}

function castExpression(lowering: WgslLowering, node: Node, from: DType): { expression: string; op: string } {
  const to = onnxTypeToDType(new OpContext(node, getOpDef(node.op)).int('to'));
  if (!to) throw unsupported(node, `Cast to ONNX type ${new OpContext(node, getOpDef(node.op)).int('to')}`);
  const source = computeType(deviceElement(from));
  const target = computeType(deviceElement(to));
  const op = `cast_${dtypeToOnnxType(to)}`;
  if (to === 'bool') return { expression: `select(0u, 1u, x0 != ${zero(source)})`, op };
  return { expression: `${target}(x0)`, op };
}

function isFloat(dtype: DType): boolean {
  return dtype === 'f32' || dtype === 'f16';
}

function zero(type: WgslElement): string {
  return { f32: '0.0', half_t: '0.0', i32: '0i', u32: '0u' }[type];
}
