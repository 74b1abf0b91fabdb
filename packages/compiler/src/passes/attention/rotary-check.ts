/**
 * Deciding numerically what a rotary structure (rotary-structure.ts) is.
 * Under two probes (value-probe.ts), X is random, the tables are what the
 * graph computes from random inputs, and Y = chain(f(X, tables)) is
 * evaluated; each reading of the tables — which is cos and which is sin,
 * rotate-half or interleaved pairs, tables holding each angle twice (R
 * features) or once (R/2) — gives the half tables [Tb, S, R/2] that ONNX
 * RotaryEmbedding takes, and the one whose rotary embedding of chain(X)
 * equals Y on both probes is the answer.
 */
import { applyRotary, evaluateDim, runNode, tensor, type Graph, type Tensor } from '@ladon/ir';
import type { GraphIndex } from './layout.js';
import type { RotaryStructure, ZAxes } from './rotary-structure.js';
import { closeTensors, makeProbes, probeValues, type Probe } from './value-probe.js';

/** How a table holds its angles along its features: each twice (rotate-half: [f, f]; interleaved: [f0, f0, f1, f1, ...]) or once. */
export type TableForm = 'twice' | 'once';

/** A reading of the tables that the probes confirmed. */
export interface RotaryReading {
  /** Index into `structure.tables` of the cos table (the other is sin). */
  readonly cos: number;
  readonly interleaved: boolean;
  readonly form: TableForm;
  /** R/2. */
  readonly half: number;
}

/** The candidate readings of tables with `features` entries per position, for head size `size`. */
function readings(features: number, size: number): RotaryReading[] {
  const out: RotaryReading[] = [];
  for (const cos of [0, 1]) {
    for (const interleaved of [false, true]) {
      if (features % 2 === 0 && features <= size) out.push({ cos, interleaved, form: 'twice', half: features / 2 });
      if (2 * features <= size) out.push({ cos, interleaved, form: 'once', half: features });
    }
  }
  return out;
}

/** A table value read as [Tb, S, F] (F its features) through Z's axes (size-1 axes broadcast). */
export function tableLayout(table: Tensor, zRank: number, axes: ZAxes): { batch: number; seq: number; features: number; at: (b: number, s: number, f: number) => number } {
  const shape = [...new Array<number>(zRank - table.shape.length).fill(1), ...table.shape];
  const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  const featureAxes = shape.map((_, axis) => axis).filter((axis) => axis !== axes.batch && axis !== axes.head && axis !== axes.seq);
  const features = featureAxes.reduce((count, axis) => count * shape[axis], 1);
  const at = (b: number, s: number, f: number): number => {
    let offset = (shape[axes.batch] === 1 ? 0 : b) * strides[axes.batch] + (shape[axes.seq] === 1 ? 0 : s) * strides[axes.seq];
    let rest = f;
    for (let i = featureAxes.length - 1; i >= 0; i--) {
      offset += (rest % shape[featureAxes[i]]) * strides[featureAxes[i]];
      rest = Math.floor(rest / shape[featureAxes[i]]);
    }
    return Number(table.data[offset]);
  };
  return { batch: shape[axes.batch], seq: shape[axes.seq], features, at };
}

/** The half table [Tb, S, R/2] of `table` under `reading`, for `seq` positions. */
function halfTable(table: Tensor, structure: RotaryStructure, zRank: number, reading: RotaryReading, seq: number): Tensor | undefined {
  const layout = tableLayout(table, zRank, structure.axes);
  if (layout.seq !== seq) return undefined;
  const values: number[] = [];
  for (let b = 0; b < layout.batch; b++) {
    for (let s = 0; s < seq; s++) {
      for (let d = 0; d < reading.half; d++) values.push(layout.at(b, s, reading.form === 'once' ? d : reading.interleaved ? 2 * d : d));
    }
  }
  return tensor('f32', [layout.batch, seq, reading.half], values);
}

/** Y of one probe with X random, and chain(X). */
function probeOnce(index: GraphIndex, structure: RotaryStructure, probe: Probe): { y: Tensor; base: Tensor; tables: Tensor[] } | undefined {
  const baseShape = concreteShape(index.graph, structure.base, probe);
  if (!baseShape) return undefined;
  const random = seededFloats(baseShape.reduce((a, b) => a * b, 1), baseShape.length * 31 + baseShape[baseShape.length - 1]);
  const x = tensor('f32', baseShape, random);
  const values = probeValues(index, probe, [structure.y, ...structure.tables], new Map([[structure.base, x]]));
  if (!values) return undefined;
  let chained: Tensor = x;
  for (const node of structure.chain) chained = runNode(node, node.inputs.map((input, slot) => (slot === 0 ? chained : values.get(input))))[0]!;
  return { y: values.get(structure.y)!, base: chained, tables: structure.tables.map((table) => values.get(table)!) };
}

/** The reading of the tables under which Y is the rotary embedding of chain(X) on every probe, if any. */
export function readRotary(index: GraphIndex, structure: RotaryStructure): RotaryReading | undefined {
  if (index.graph.typeOf(structure.y).dtype !== 'f32') return undefined;
  const probes = makeProbes(index.graph).map((probe) => probeOnce(index, structure, probe));
  if (probes.some((probe) => !probe)) return undefined;
  const zRank = index.graph.typeOf(structure.z).shape.length;
  const [first] = probes;
  const size = first!.y.shape[3];
  const { features } = tableLayout(first!.tables[0], zRank, structure.axes);
  return readings(features, size).find((reading) =>
    probes.every((probe) => {
      const { y, base, tables } = probe!;
      const cos = halfTable(tables[reading.cos], structure, zRank, reading, y.shape[2]);
      const sin = halfTable(tables[1 - reading.cos], structure, zRank, reading, y.shape[2]);
      return cos !== undefined && sin !== undefined && closeTensors(applyRotary(base, cos, sin, reading.interleaved), y, 2e-5);
    }),
  );
}

function concreteShape(graph: Graph, value: string, probe: Probe): number[] | undefined {
  const shape = graph.typeOf(value).shape.map((dim) => (typeof dim === 'number' ? dim : evaluateDim(dim, probe.bindings)));
  return shape.every((dim) => dim !== undefined) ? (shape as number[]) : undefined;
}

/** Deterministic floats in [-1, 1). */
function seededFloats(count: number, seed: number): number[] {
  let state = seed >>> 0 || 1;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}
