/**
 * The ONNX node-test suite (../shared/conformance/onnx-node, README there)
 * as one conformance harness: every case (the vision family of issue 13
 * included), on one backend, against a checked-in list of the cases not expected to pass
 * yet (test/conformance/onnx-node-expected-failures.json: per case, the
 * backends it fails on and why). A listed case must fail and an unlisted
 * one must pass, so the list shrinks as ops land.
 *
 * Outputs compare within Ladon's `check` tolerance of their dtype
 * (toleranceFor: f32 rtol 1e-3 / atol 1e-5, f16 dtype-appropriate, ints
 * and bools exactly); training-mode Dropout with a ratio above 0 draws a
 * random mask no runtime can reproduce, so those cases are checked as the
 * suite's README says (checkRandomDropout).
 */
import { compareTensors, interpret, toleranceFor, type Graph, type Tensor } from '@ladon/ir';
import type { TestCase } from '@ladon/onnx';
import { loadTestCase } from '@ladon/onnx/node';
import { Session } from '@ladon/runtime';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseBackend } from './conformance.js';
import { SHARED } from './paths.js';

/** The suite's directory. */
export const ONNX_NODE_ROOT = join(SHARED, 'conformance', 'onnx-node');

/** One case of the suite and the op it tests. */
export interface OnnxNodeCase {
  readonly name: string;
  readonly op: string;
}

/** Every case of the suite, in ops.json order. */
export function onnxNodeCases(): OnnxNodeCase[] {
  const ops = JSON.parse(readFileSync(join(ONNX_NODE_ROOT, 'ops.json'), 'utf8')) as Record<string, string[]>;
  return Object.entries(ops).flatMap(([op, names]) => names.map((name) => ({ name, op })));
}

/** A case expected to fail: on which backends, and why. */
export interface ExpectedFailure {
  readonly on: readonly CaseBackend[];
  readonly reason: string;
}

/** The checked-in list of cases not expected to pass yet. */
export function expectedFailures(file: string): Readonly<Record<string, ExpectedFailure>> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, ExpectedFailure>;
}

/** The outcome of one case on one backend. */
export interface CaseOutcome {
  readonly passed: boolean;
  /** What failed (the first problem), or what was checked. */
  readonly message: string;
}

type Feeds = Readonly<Record<string, Tensor>>;

interface Runner {
  run(feeds: Feeds): Promise<Readonly<Record<string, Tensor>>>;
  dispose(): void;
}

async function runnerFor(graph: Graph, backend: CaseBackend): Promise<Runner> {
  if (backend === 'reference') return { run: async (feeds) => interpret(graph, feeds), dispose: () => undefined };
  const session = await Session.create(graph, { backend });
  if (session.backend !== backend) throw new Error(`asked for ${backend}, got a ${session.backend} session`);
  return { run: (feeds) => session.run(feeds), dispose: () => session.dispose() };
}

/** True for the training-mode Dropout cases whose mask is random (ratio > 0). */
function drawsRandomMask(testCase: TestCase): boolean {
  return testCase.name.startsWith('test_training_dropout') && !testCase.name.includes('zero_ratio');
}

/**
 * Training-mode Dropout with a random mask: the output has the expected
 * dtype and shape, and every element is 0 or x/(1-ratio); a mask output,
 * when asked for, is the bool mask of exactly the kept elements.
 */
export function checkRandomDropout(testCase: TestCase, feeds: Feeds, got: Readonly<Record<string, Tensor>>, expected: Readonly<Record<string, Tensor>>): string | undefined {
  const [node] = testCase.model.graph.nodes;
  const [outputName, maskName] = node.outputs;
  const x = feeds[node.inputs[0]].data as Float32Array;
  const ratio = node.inputs[1] ? (feeds[node.inputs[1]].data as Float32Array)[0] : 0.5;
  const y = got[outputName];
  const want = expected[outputName];
  if (!y || y.dtype !== want.dtype || y.shape.join() !== want.shape.join()) return `output ${outputName}: expected ${want.dtype}[${want.shape}]`;
  const mask = maskName ? got[maskName] : undefined;
  if (maskName && (!mask || mask.dtype !== 'bool' || mask.shape.join() !== want.shape.join())) return `mask ${maskName}: expected bool[${want.shape}]`;
  const scale = 1 / (1 - ratio);
  const near = (value: number, target: number): boolean => Math.abs(value - target) <= 1e-5 + 1e-3 * Math.abs(target);
  for (let i = 0; i < x.length; i++) {
    const value = (y.data as Float32Array)[i];
    const kept = mask ? (mask.data as Uint8Array)[i] === 1 : !near(value, 0);
    if (!near(value, kept ? x[i] * scale : 0)) return `element ${i}: ${value}, expected ${kept ? `x/(1-ratio) = ${x[i] * scale}` : '0'}${mask ? ' by the mask' : ''}`;
  }
  return undefined;
}

function compareOutputs(testCase: TestCase, feeds: Feeds, got: Readonly<Record<string, Tensor>>, expected: Readonly<Record<string, Tensor>>): string | undefined {
  if (drawsRandomMask(testCase)) return checkRandomDropout(testCase, feeds, got, expected);
  for (const [name, want] of Object.entries(expected)) {
    if (!got[name]) return `output ${name} is missing`;
    const comparison = compareTensors(got[name], want, toleranceFor(want.dtype));
    if (!comparison.ok) return `output ${name}: ${comparison.problem}`;
  }
  return undefined;
}

/** Runs one case on `backend`; an error (unsupported op, bad model) is a failed outcome with its message. */
export async function runOnnxNodeCase(name: string, backend: CaseBackend): Promise<CaseOutcome> {
  try {
    const testCase = await loadTestCase(join(ONNX_NODE_ROOT, name));
    if (testCase.dataSets.length === 0) return { passed: false, message: 'no data sets' };
    const runner = await runnerFor(testCase.model.graph, backend);
    try {
      for (const dataSet of testCase.dataSets) {
        const problem = compareOutputs(testCase, dataSet.inputs, await runner.run(dataSet.inputs), dataSet.outputs);
        if (problem) return { passed: false, message: `${dataSet.name}: ${problem}` };
      }
    } finally {
      runner.dispose();
    }
    return { passed: true, message: 'every output within tolerance' };
  } catch (error) {
    return { passed: false, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}
