/**
 * The induction-2l model (a real trained 2-layer transformer, imported from
 * ONNX and compiled for wasm): checked against its stored test data, scored
 * on eval.json's 200 held-out sequences, and its heads described from the
 * attention probabilities the model outputs.
 */
import path from 'node:path';
import { compareTensors, tensor, type Tensor } from '@ladon/ir';
import { loadTestCase } from '@ladon/onnx/node';
import { headName, headRole, scoreHeads, type HeadScores } from '../shared/head-scores.js';
import { inductionPairsOfSegment } from '../shared/sequences.js';
import { compileAndRun, type BackendRun } from './backend-run.js';
import { percent, scoreTask, type TaskAccuracy } from './induction-accuracy.js';
import { readEvalSet, type EvalSequence } from './shared-data.js';
import { formatMs, timed, warmMedian } from './timing.js';

/** The repeated-position accuracy the example requires (torch reaches 100%). */
export const REQUIRED_REPEATED_ACCURACY = 0.99;
/** Tolerance of the comparison with the stored outputs (the README's rtol = atol = 1e-4). */
export const STORED_OUTPUT_TOLERANCE = { rtol: 1e-4, atol: 1e-4 };

/** What the induction example found. */
export interface InductionResult {
  readonly accuracy: TaskAccuracy;
  readonly storedOutputsMatch: boolean;
  readonly heads: HeadScores[];
}

function idsTensor(sequences: readonly EvalSequence[]): Tensor {
  const length = sequences[0].ids.length;
  return tensor('i64', [sequences.length, length], sequences.flatMap((sequence) => sequence.ids));
}

async function checkStoredOutputs(run: BackendRun, expected: Record<string, Tensor>, inputs: Record<string, Tensor>, log: (line: string) => void): Promise<boolean> {
  const outputs = await run.session.run(inputs);
  const checks = Object.keys(expected).map((name) => ({ name, ...compareTensors(outputs[name], expected[name], STORED_OUTPUT_TOLERANCE) }));
  const parts = checks.map((check) => `${check.name} ${check.maxAbsErr.toExponential(2)}`);
  const allOk = checks.every((check) => check.ok);
  log(`test_data_set_0 (${inputs.input_ids.shape.join('x')}) vs torch's stored outputs, max |error|: ${parts.join(', ')} (${allOk ? 'within' : 'NOT within'} rtol=atol=1e-4)`);
  return allOk;
}

function describeAccuracy(accuracy: TaskAccuracy, torchRepeated: number): string[] {
  const pass = accuracy.repeated.correct >= REQUIRED_REPEATED_ACCURACY * accuracy.repeated.total;
  return [
    `repeated-position accuracy: ${percent(accuracy.repeated)} (${accuracy.repeated.correct}/${accuracy.repeated.total}; torch ${(100 * torchRepeated).toFixed(2)}%) — ${pass ? 'pass' : 'FAIL'} (>= ${100 * REQUIRED_REPEATED_ACCURACY}%)`,
    `non-repeated: ${percent(accuracy.nonRepeated)} (chance 1/48 = 2.08%); first predictable token of each repeat: ${percent(accuracy.firstRepeated)}; ` +
      `argmax equals torch's on ${accuracy.agreesWithTorch.correct}/${accuracy.agreesWithTorch.total} targets`,
  ];
}

function describeHeads(heads: readonly HeadScores[]): string[] {
  const lines = ['heads (mean attention probability over the 200 sequences, from the model outputs attn_l0/attn_l1):'];
  lines.push('  head  prev-token  induction  BOS    self   role');
  for (const scores of heads) {
    const cells = [scores.previousToken, scores.induction, scores.bos, scores.self].map((value) => value.toFixed(3));
    lines.push(`  ${headName(scores)}  ${cells[0].padEnd(10)}  ${cells[1].padEnd(9)}  ${cells[2]}  ${cells[3]}  ${headRole(scores)}`);
  }
  const named = (role: string, score: (scores: HeadScores) => number): string =>
    heads.filter((scores) => headRole(scores) === role).map((scores) => `${headName(scores)} (${score(scores).toFixed(3)})`).join(', ') || 'none';
  lines.push(`previous-token head(s): ${named('previous-token', (s) => s.previousToken)}; induction head(s): ${named('induction', (s) => s.induction)}`);
  return lines;
}

/** Runs the induction-2l example on wasm, logging through `log`. */
export async function runInductionExample(modelDirectory: string, log: (line: string) => void): Promise<InductionResult> {
  const testCase = await timed(() => loadTestCase(path.join(modelDirectory, 'with-weights')));
  const graph = testCase.value.model.graph;
  log(`induction-2l (with-weights/model.onnx, ${graph.nodes.length} ONNX nodes) imported in ${formatMs(testCase.ms)}`);
  const evalSet = await readEvalSet(modelDirectory);
  const feeds = { input_ids: idsTensor(evalSet.sequences) };
  log(`compiling for wasm and running eval.json's ${evalSet.sequences.length} sequences of ${evalSet.seq_len} tokens as one batch...`);
  const run = await compileAndRun(graph, 'wasm', feeds, 3);
  log(`wasm   compile ${formatMs(run.compileMs)} · load ${formatMs(run.loadMs)} · first run ${formatMs(run.firstRunMs)} · warm median ${formatMs(run.warmMedianMs)} (${run.warmRuns} runs of the batch)`);
  const single = { input_ids: idsTensor(evalSet.sequences.slice(0, 1)) };
  log(`one sequence (1x${evalSet.seq_len}): warm median ${formatMs(await warmMedian(() => run.session.run(single), 20))} (20 runs)`);
  const dataSet = testCase.value.dataSets[0];
  const storedOutputsMatch = await checkStoredOutputs(run, dataSet.outputs, dataSet.inputs, log);
  const accuracy = scoreTask(run.outputs.logits, evalSet.sequences);
  for (const line of describeAccuracy(accuracy, evalSet.torch_accuracy.repeated)) log(line);
  const pairs = evalSet.sequences.map((sequence) =>
    inductionPairsOfSegment({ sourceStart: sequence.src_start, repeatStart: sequence.dst_start, length: sequence.length }),
  );
  const heads = [...scoreHeads(0, run.outputs.attn_l0, pairs), ...scoreHeads(1, run.outputs.attn_l1, pairs)];
  for (const line of describeHeads(heads)) log(line);
  run.session.dispose();
  return { accuracy, storedOutputsMatch, heads };
}
