/**
 * Softmax and LogSoftmax before opset 13 coerce their input to 2-D at
 * `axis` (default 1): the softmax runs over all the axes from `axis` on,
 * flattened together. The opset-13 ops (the IR's) run over one axis. When
 * `axis` is the last axis the two agree; otherwise the node becomes
 *
 *   flat = Reshape(x, [0, ..., 0, -1])      (keep the axes before `axis`)
 *   soft = Softmax(flat, axis = -1)         (or LogSoftmax)
 *   y    = Reshape(soft, shape of x)        (a constant, or Shape(x) when symbolic)
 */
import { isStaticShape, tensor, type Node, type TensorType } from '@ladon/ir';
import type { GraphAssembler } from './graph-assembler.js';

/** The IR nodes equivalent to an opset < 13 Softmax or LogSoftmax node. */
export function expandLegacySoftmax(node: Node, assembler: GraphAssembler): Node[] {
  const inputType: TensorType | undefined = node.inputs[0] ? assembler.typeOf(node.inputs[0]) : undefined;
  const rawAxis = node.attrs.axis ?? 1;
  if (!inputType || typeof rawAxis !== 'number' || node.outputs.length !== 1) return [node];
  const rank = inputType.shape.length;
  if (rawAxis < -rank || rawAxis >= rank) return [{ ...node, attrs: { ...node.attrs, axis: rawAxis } }];
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  if (axis === rank - 1) return [{ ...node, attrs: { ...node.attrs, axis: -1 } }];
  const [input] = node.inputs;
  const [output] = node.outputs;
  const named = (op: string, inputs: string[], outputName: string, attrs: Node['attrs'] = {}): Node =>
    node.name ? { op, inputs, outputs: [outputName], attrs, name: node.name } : { op, inputs, outputs: [outputName], attrs };
  const flatShape = assembler.addConstant(`${output}__flat_shape`, tensor('i64', [axis + 1], [...new Array<number>(axis).fill(0), -1]));
  const flat = assembler.freshName(`${output}__flat`);
  const soft = assembler.freshName(`${output}__flat_softmax`);
  const nodes = [named('Reshape', [input, flatShape], flat), named(node.op, [flat], soft, { axis: -1 })];
  if (isStaticShape(inputType.shape)) {
    const shape = assembler.addConstant(`${output}__shape`, tensor('i64', [rank], inputType.shape));
    nodes.push(named('Reshape', [soft, shape], output));
  } else {
    const shape = assembler.freshName(`${output}__shape`);
    nodes.push(named('Shape', [input], shape), named('Reshape', [soft, shape], output));
  }
  return nodes;
}
