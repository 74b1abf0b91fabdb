/**
 * Op versions of opsets 7-24 whose form differs from the IR's: rewritten
 * on import into the current form, so the IR knows one form of each op.
 * What were attributes became inputs in ONNX (Slice-10, Pad-11, Clip-11,
 * TopK-10, Dropout-12): the attribute values become constant inputs.
 * Softmax and LogSoftmax before 13 coerce to 2-D (legacy-softmax.ts).
 * Forms the IR still reads itself (Squeeze/Unsqueeze/Split/Reduce* with
 * their attributes) pass through.
 */
import { tensor, type AttrValue, type DType, type Node, type Tensor } from '@ladon/ir';
import type { GraphAssembler } from './graph-assembler.js';
import { expandLegacySoftmax } from './legacy-softmax.js';

/** A rewrite of one legacy node: the IR nodes that mean the same. */
type Upgrade = (node: Node, assembler: GraphAssembler) => Node[];

/** The lowest f32 (Clip-6's default min) and the highest (its default max). */
const F32_MAX = 3.4028234663852886e38;

/** Moves attributes into inputs: `inputs[i]` is the constant for slot i (undefined: omitted), the named attributes are dropped. */
function attributesToInputs(node: Node, assembler: GraphAssembler, drop: readonly string[], inputs: readonly (readonly [string, Tensor] | undefined)[]): Node {
  const attrs: Record<string, AttrValue> = {};
  for (const [name, value] of Object.entries(node.attrs)) if (!drop.includes(name)) attrs[name] = value;
  const names = inputs.map((entry) => (entry ? assembler.addConstant(`${node.outputs[0]}__${entry[0]}`, entry[1]) : ''));
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  return { ...node, inputs: [node.inputs[0], ...names], attrs };
}

function ints(node: Node, name: string): number[] | undefined {
  const value = node.attrs[name];
  return Array.isArray(value) ? (value as number[]) : undefined;
}

function number(node: Node, name: string): number | undefined {
  const value = node.attrs[name];
  return typeof value === 'number' ? value : undefined;
}

const i64 = (values: readonly number[]): Tensor => tensor('i64', [values.length], values);

function dataType(node: Node, assembler: GraphAssembler): DType {
  return assembler.typeOf(node.inputs[0])?.dtype ?? 'f32';
}

/** Clip-6: `min` and `max` attributes (absent: no bound). */
const clip: Upgrade = (node, assembler) => {
  const dtype = dataType(node, assembler);
  const bound = (name: string): readonly [string, Tensor] | undefined => {
    const value = number(node, name);
    return value === undefined || Math.abs(value) >= F32_MAX ? undefined : [name, tensor(dtype, [], [value])];
  };
  return [attributesToInputs(node, assembler, ['min', 'max'], [bound('min'), bound('max')])];
};

/** Slice-1: `starts`, `ends` and optional `axes` attributes. */
const slice: Upgrade = (node, assembler) => {
  const axes = ints(node, 'axes');
  const inputs: (readonly [string, Tensor] | undefined)[] = [['starts', i64(ints(node, 'starts') ?? [])], ['ends', i64(ints(node, 'ends') ?? [])], axes ? ['axes', i64(axes)] : undefined];
  return [attributesToInputs(node, assembler, ['starts', 'ends', 'axes'], inputs)];
};

/** Pad-2: `pads` and `value` attributes (`mode` stays an attribute). */
const pad: Upgrade = (node, assembler) => {
  const value = tensor(dataType(node, assembler), [], [number(node, 'value') ?? 0]);
  return [attributesToInputs(node, assembler, ['pads', 'value'], [['pads', i64(ints(node, 'pads') ?? [])], ['constant_value', value]])];
};

/** TopK-1: the `k` attribute. */
const topK: Upgrade = (node, assembler) => [attributesToInputs(node, assembler, ['k'], [['K', i64([number(node, 'k') ?? 0])]])];

/** Dropout-7 and -10: the `ratio` attribute (default 0.5); inference only, as those versions are. */
const dropout: Upgrade = (node, assembler) => [attributesToInputs(node, assembler, ['ratio', 'is_test'], [['ratio', tensor('f32', [], [number(node, 'ratio') ?? 0.5])]])];

/** Per op: the version the IR's form starts at, and how to rewrite older ones. */
const UPGRADES: Readonly<Record<string, { readonly since: number; readonly upgrade: Upgrade }>> = {
  Clip: { since: 11, upgrade: clip },
  Slice: { since: 10, upgrade: slice },
  Pad: { since: 11, upgrade: pad },
  TopK: { since: 10, upgrade: topK },
  Dropout: { since: 12, upgrade: dropout },
  Softmax: { since: 13, upgrade: expandLegacySoftmax },
  LogSoftmax: { since: 13, upgrade: expandLegacySoftmax },
};

/** The IR nodes for `node` at op version `version` (the node itself when its form is current). */
export function upgradeLegacyForm(node: Node, version: number | undefined, assembler: GraphAssembler): Node[] {
  const rule = UPGRADES[node.op];
  return rule && version !== undefined && version < rule.since ? rule.upgrade(node, assembler) : [node];
}
