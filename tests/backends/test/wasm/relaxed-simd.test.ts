/**
 * The relaxed-SIMD (FMA) module, once: vitest runs Node without
 * `--experimental-wasm-relaxed-simd`, so this test spawns a Node that has
 * the flag on a script using the BUILT packages (run the build first). The
 * script checks a graph touching every kernel family, and the shared
 * models, against the reference / stored outputs.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHARED } from '../../src/paths.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const SCRIPT = `
import { compareTensors, GraphBuilder, interpret, tensor } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { compileProgram } from '@ladon/compiler';
import { loadTestCase } from '@ladon/onnx/node';
import { WasmSession, relaxedSimdSupported } from '@ladon/runtime';

const problems = [];
if (!relaxedSimdSupported()) problems.push('relaxed SIMD is not supported even with the flag');
const next = seededRandom(99);
const random = (shape) => randomTensor(next, 'f32', shape);

const g = new GraphBuilder('families');
const x = g.input('x', 'f32', ['batch', 'seq', 37]);
const w = g.constant(random([37, 70]));
const bias = g.constant(random([70]));
const hidden = g.op('Gelu', [g.op('Linear', [x, w, bias])]);
const normed = g.op('LayerNormalization', [hidden, g.constant(random([70])), g.constant(random([70]))]);
const other = g.input('other', 'f32', ['batch', 70, 'seq']);
const scores = g.op('Softmax', [g.op('MatMul', [normed, other])]);
g.output(g.op('Add', [g.op('Transpose', [scores], { perm: [0, 2, 1] }), g.op('Tanh', [scores])]), 'y');
const graph = g.build();
const program = await compileProgram(graph, { target: 'wasm', passes: [] });
const session = await WasmSession.create(program, { relaxedSimd: true });
if (!session.relaxed) problems.push('the session did not pick the relaxed module');
for (const [batch, seq] of [[2, 7], [1, 13]]) {
  const feeds = { x: random([batch, seq, 37]), other: random([batch, 70, seq]) };
  const got = (await session.run(feeds)).y;
  const expected = interpret(graph, feeds).y;
  const result = compareTensors(got, expected, { rtol: 1e-4, atol: 1e-5 });
  if (!result.ok) problems.push('families ' + batch + 'x' + seq + ': ' + result.problem);
}

for (const directory of process.argv.slice(1)) {
  const testCase = await loadTestCase(directory);
  const modelSession = await WasmSession.create(await compileProgram(testCase.model.graph, { target: 'wasm' }), { relaxedSimd: true });
  for (const dataSet of testCase.dataSets) {
    const actual = await modelSession.run(dataSet.inputs);
    for (const [name, expected] of Object.entries(dataSet.outputs)) {
      const result = compareTensors(actual[name], expected, { rtol: 1e-4, atol: 1e-4 });
      if (!result.ok) problems.push(directory + ' ' + dataSet.name + ' ' + name + ': ' + result.problem);
    }
  }
}
console.log(JSON.stringify({ problems }));
`;

const MODELS = ['fixtures/torch-export/mha_self_e64_h4', 'fixtures/torch-export/encoder_layer_e64_h4', 'fixtures/torch-export/seed_mha_block', 'models/induction-2l/logits', 'models/induction-2l/with-weights'];

describe('the relaxed-SIMD module (spawned Node with --experimental-wasm-relaxed-simd)', () => {
  it('matches the reference on every kernel family and on the shared models', () => {
    const run = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--input-type=module', '-e', SCRIPT, ...MODELS.map((model) => SHARED + model)], {
      cwd: PACKAGE_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') throw new Error(`the relaxed-SIMD child process timed out after 120 s\n${run.stderr}`);
    expect(run.stderr.replace(/.*ExperimentalWarning.*\n?/g, '').replace(/\(Use `node --trace-warnings.*\n?/g, ''), 'stderr').toBe('');
    const lastLine = run.stdout.trim().split('\n').pop() ?? '';
    expect(JSON.parse(lastLine) as { problems: string[] }).toEqual({ problems: [] });
  }, 130_000);
});
