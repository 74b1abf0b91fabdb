/**
 * End-to-end tests of the built `ladon` binary (`packages/cli/dist/cli.js`;
 * build first: turbo runs `build` before `test`). Paths to the shared data
 * are relative to the repository root, as a user would type them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tensor } from '@ladon/ir';
import { readTensorFile, writeTensorFile } from '@ladon/onnx/node';
import { ElemType, modelBytes, nodeFields, valueInfo } from '@ladon/onnx/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = path.join(REPO_ROOT, 'packages/cli/dist/cli.js');
const SEED_BLOCK = '../shared/fixtures/torch-export/seed_mha_block';

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

const CHILD_TIMEOUT_SECONDS = 240;

/** Runs node on `args`; a child that hits `timeoutSeconds` throws "timed out after N s" (not unparsable output). */
function runNode(args: readonly string[], timeoutSeconds: number): Outcome {
  const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: timeoutSeconds * 1000 });
  if (result.error || result.signal) {
    const timedOut = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    const why = timedOut ? `timed out after ${timeoutSeconds} s` : `ended by ${result.signal ?? result.error?.message}`;
    throw new Error(`node ${args.join(' ').slice(0, 200)}: ${why}\n${result.stderr ?? ''}`);
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ladon(...args: string[]): Outcome {
  return runNode([CLI, ...args], CHILD_TIMEOUT_SECONDS);
}

/** What the shell makes of `DIR/*` (or `DIR/PREFIX*`): the matching entries, sorted. */
function glob(directory: string, prefix = ''): string[] {
  return readdirSync(path.join(REPO_ROOT, directory))
    .filter((entry) => entry.startsWith(prefix))
    .sort()
    .map((entry) => `${directory}/${entry}`);
}

/** A word of a command line as the shell would pass it: globs expanded, `out/` and `results/` moved into the scratch directory. */
function shellWords(word: string): string[] {
  if (word.endsWith('*')) return glob(path.dirname(word), path.basename(word).slice(0, -1));
  return [word.replace(/^(out|results)\//, `${scratch}/help-$1/`)];
}

let scratch: string;

/** y = Frob(Zap(Relu(Frob(x)))): two ops outside the op set, one of them twice. */
function unknownOpsModel(): Uint8Array {
  const F = ElemType.FLOAT;
  return modelBytes({
    nodes: [
      nodeFields('Frob', ['x'], ['a'], [], { name: 'frob_1' }),
      nodeFields('Relu', ['a'], ['b']),
      nodeFields('Zap', ['b'], ['c']),
      nodeFields('Frob', ['c'], ['y'], [], { name: 'frob_2' }),
    ],
    inputs: [valueInfo('x', F, [2])],
    outputs: [valueInfo('y', F, [2])],
    initializers: [],
  });
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build the cli first (npx tsup in packages/cli, or npm run build)`);
  scratch = mkdtempSync(path.join(tmpdir(), 'ladon-cli-'));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('ladon check', () => {
  it('passes all 87 ONNX Attention conformance cases on the reference backend', () => {
    const outcome = ladon('check', ...glob('../shared/conformance/onnx-attention'), '--backend', 'reference', '--json');
    const lines = outcome.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]);
    const failed = report.cases.filter((entry: { status: string }) => entry.status === 'failed');
    expect(failed).toEqual([]);
    expect(report.passed).toBe(87);
    expect(report.failed).toBe(0);
    expect(outcome.status).toBe(0);
  });

  it('passes all 87 conformance cases and the 10 extra fp16 ones on the wasm backend', () => {
    const outcome = ladon('check', ...glob('../shared/conformance/onnx-attention'), ...glob('../shared/conformance/onnx-attention-fp16-extra'), '--backend', 'wasm', '--json');
    const report = JSON.parse(outcome.stdout);
    expect(report.cases.filter((entry: { status: string }) => entry.status === 'failed')).toEqual([]);
    expect(report.passed).toBe(97);
    expect(outcome.status).toBe(0);
  });

  it('passes the extra fp16 Attention cases', () => {
    const report = JSON.parse(ladon('check', ...glob('../shared/conformance/onnx-attention-fp16-extra'), '--backend', 'reference', '--json').stdout);
    expect(report).toMatchObject({ passed: 10, failed: 0 });
  });

  it('passes every data set of the torch exports, with the default and the README tolerances', () => {
    for (const tolerances of [[], ['--rtol', '1e-4', '--atol', '1e-4']]) {
      const outcome = ladon('check', ...glob('../shared/fixtures/torch-export'), '--backend', 'reference', ...tolerances);
      expect(outcome.stdout).toMatch(/^3 passed, 0 failed, \d+ skipped$/m);
      expect(outcome.stdout).toMatch(/pass\s+seed_mha_block\s+\S+\s+2 data sets/);
      expect(outcome.status).toBe(0);
    }
  });

  it('reports a bad case as failed and keeps going; exit code 1', () => {
    const badCase = path.join(scratch, 'bad_case');
    mkdirSync(path.join(badCase, 'test_data_set_0'), { recursive: true });
    writeFileSync(path.join(badCase, 'model.onnx'), 'not a model');
    const outcome = ladon('check', badCase, SEED_BLOCK, '--json');
    const report = JSON.parse(outcome.stdout);
    expect(report).toMatchObject({ passed: 1, failed: 1 });
    expect(report.cases[0]).toMatchObject({ name: 'bad_case', status: 'failed', maxAbsErr: null });
    expect(report.cases[0].message).toMatch(/^OnnxImportError \[E_IMPORT\]: .*bad_case\/model\.onnx/);
    expect(outcome.status).toBe(1);
  });

  it('fails a case whose outputs are off, naming the output and the tolerance', async () => {
    const { tensor: expected } = await readTensorFile(path.join(REPO_ROOT, SEED_BLOCK, 'test_data_set_1/output_0.pb'));
    const wrongCase = path.join(scratch, 'wrong_output');
    cpSync(path.join(REPO_ROOT, SEED_BLOCK), wrongCase, { recursive: true });
    const shifted = Float32Array.from(expected.data as Float32Array, (value) => value + 0.01);
    await writeTensorFile(path.join(wrongCase, 'test_data_set_1/output_0.pb'), 'y', tensor('f32', expected.shape, shifted));
    const outcome = ladon('check', wrongCase);
    expect(outcome.stdout).toMatch(/FAIL\s+wrong_output\s+0\.01\s+test_data_set_1\/y: 1344 of 1344 elements differ/);
    expect(outcome.stdout).toMatch(/^0 passed, 1 failed, 0 skipped$/m);
    expect(outcome.status).toBe(1);
    expect(ladon('check', wrongCase, '--atol', '0.02').status).toBe(0);
  });

  it('fails (exit 1) when no case ran: a folder without test data, or a folder of cases passed without /*', () => {
    const noData = path.join(scratch, 'no_test_data');
    mkdirSync(noData, { recursive: true });
    cpSync(path.join(REPO_ROOT, SEED_BLOCK, 'model.onnx'), path.join(noData, 'model.onnx'));
    const outcome = ladon('check', noData);
    expect(outcome.stdout).toMatch(/^0 passed, 0 failed, 1 skipped$/m);
    expect(outcome.stderr).toMatch(/^ladon: no test case found in 1 path: a case is a directory with model\.onnx and test_data_set_\*\//m);
    expect(outcome.status).toBe(1);
    const folder = ladon('check', '../shared/fixtures/torch-export', '--json');
    expect(JSON.parse(folder.stdout).cases[0].message).toMatch(/^no model\.onnx here, but 3 of its subdirectories hold cases: pass \.\.\/shared\/fixtures\/torch-export\/\* to check them$/);
    expect(folder.status).toBe(1);
  });

  it('summarizes per op with --by-op and in --json (byOp, and each case\'s ops), counting a model Ladon cannot import under its ops', () => {
    const unknownCase = path.join(scratch, 'unknown_op_case');
    mkdirSync(path.join(unknownCase, 'test_data_set_0'), { recursive: true });
    writeFileSync(path.join(unknownCase, 'model.onnx'), unknownOpsModel());
    const cases = [...glob('../shared/conformance/onnx-node', 'test_clip_default'), '../shared/conformance/onnx-node/test_abs', unknownCase];
    const report = JSON.parse(ladon('check', ...cases, '--backend', 'reference', '--json').stdout);
    expect(report.byOp).toEqual({
      Abs: { passed: 1, failed: 0, skipped: 0 },
      Clip: { passed: 6, failed: 0, skipped: 0 },
      Frob: { passed: 0, failed: 1, skipped: 0 },
      Relu: { passed: 0, failed: 1, skipped: 0 },
      Zap: { passed: 0, failed: 1, skipped: 0 },
    });
    expect(report.cases.find((entry: { name: string }) => entry.name === 'test_abs')).toMatchObject({ ops: ['Abs'], status: 'passed' });
    const table = ladon('check', ...cases, '--backend', 'reference', '--by-op');
    expect(table.stdout).toMatch(/^OP\s+CASES\s+PASSED\s+FAILED\s+SKIPPED\n/);
    expect(table.stdout).toMatch(/^Clip\s+6\s+6\s+0\s+0$/m);
    expect(table.stdout).toMatch(/^Frob\s+1\s+0\s+1\s+0$/m);
    expect(table.stdout).not.toContain('test_abs');
    expect(table.stdout).toMatch(/^7 passed, 1 failed, 0 skipped$/m);
    expect(table.status).toBe(1);
  });

  it('runs the seed block on the wasm backend', () => {
    const outcome = ladon('check', SEED_BLOCK, '--backend', 'wasm', '--json');
    expect(JSON.parse(outcome.stdout)).toMatchObject({ passed: 1, failed: 0 });
    expect(outcome.status).toBe(0);
  });
});

describe('ladon inspect', () => {
  it('prints the compiled graph in the IR text form with large constants elided', () => {
    const outcome = ladon('inspect', `${SEED_BLOCK}/model.onnx`);
    expect(outcome.status).toBe(0);
    const lines = outcome.stdout.split('\n');
    expect(lines[0]).toMatch(/^# ladon inspect .*seed_mha_block\/model\.onnx$/);
    expect(outcome.stdout).toMatch(/^# constants with more than 16 elements are elided/m);
    expect(outcome.stdout).toMatch(/^graph torch_jit \{$/m);
    expect(outcome.stdout).toContain('input %x : f32[batch, seq, 64]');
    expect(outcome.stdout).toContain('= <4096 elements>');
    expect(outcome.stdout).toMatch(/= Attention\(.*\) \{.*q_num_heads = 8.*\} : f32\[batch, seq, 64\]/);
    expect(outcome.stdout).not.toContain('Softmax');
  });

  it('gives op counts, inputs, outputs and passes with --json', () => {
    const summary = JSON.parse(ladon('inspect', `${SEED_BLOCK}/model.onnx`, '--json').stdout);
    expect(summary.ops).toMatchObject({ Attention: 1, Linear: 2, Split: 1, LayerNormalization: 1 });
    expect(summary.ops.Softmax).toBeUndefined();
    expect(summary.compileMs).toBeGreaterThan(0);
    expect(summary.inputs).toEqual([
      { name: 'x', dtype: 'f32', shape: ['batch', 'seq', 64] },
      { name: 'mask', dtype: 'i64', shape: ['batch', 1, 1, 'seq'] },
    ]);
    expect(summary.passes.map((pass: { name: string }) => pass.name)).toContain('fuse-attention');
    expect(summary.passes.find((pass: { name: string }) => pass.name === 'fuse-attention').changes).toEqual({ fused: 1 });
    expect(summary.attention).toEqual([{ output: expect.any(String), heads: 8, kvHeads: 8, headSize: 8, causal: false, kvCache: false, rotary: 'none', rotaryDim: 0, bias: 'none', mask: 'float' }]);
  });

  it('says with --json which rotary and bias form each Attention uses (LLaMA: rotate-half, GQA, causal)', () => {
    const summary = JSON.parse(ladon('inspect', '../shared/fixtures/real-world/llama_rope_gqa/model.onnx', '--json').stdout);
    expect(summary.attention).toMatchObject([{ heads: 8, kvHeads: 2, causal: true, rotary: 'rotate-half', rotaryDim: 8, bias: 'none', mask: 'none' }]);
    expect(summary.ops.Softmax).toBeUndefined();
    expect(summary.ops.Neg).toBeUndefined();
  });

  it('prints the graph after a pass, and rejects an unknown pass as a usage error', () => {
    const after = ladon('inspect', `${SEED_BLOCK}/model.onnx`, '--print-after', 'fold-shapes');
    expect(after.status).toBe(0);
    expect(after.stdout).toMatch(/^# after pass fold-shapes\ngraph torch_jit \{/m);
    const outcome = ladon('inspect', `${SEED_BLOCK}/model.onnx`, '--print-after', 'no-such-pass');
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toContain("unknown pass 'no-such-pass' for --print-after; available passes: fold-constants");
  });

  it('lists every unsupported op of a model (op, node count, first node) in text and --json', () => {
    const model = path.join(scratch, 'unknown_ops.onnx');
    writeFileSync(model, unknownOpsModel());
    const text = ladon('inspect', model);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/^# 2 ops outside Ladon's op set, used by 3 nodes:$/m);
    expect(text.stdout).toMatch(/^OP\s+NODES\s+FIRST NODE\nFrob\s+2\s+%a \(frob_1\)\nZap\s+1\s+%c$/m);
    expect(text.stderr).toMatch(/^ladon: cannot compile .*unknown_ops\.onnx: it uses 2 unsupported ops \(Frob, Zap\)$/m);
    const json = ladon('inspect', model, '--json');
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      unsupportedOps: [
        { op: 'Frob', count: 2, firstNode: '%a (frob_1)' },
        { op: 'Zap', count: 1, firstNode: '%c' },
      ],
    });
  });

  it('names the file of a garbage model in a typed error, without a stack trace', () => {
    const garbage = path.join(scratch, 'garbage.onnx');
    writeFileSync(garbage, Buffer.from('\x08\x07\x12\xff\xffgarbage that is not protobuf', 'latin1'));
    const outcome = ladon('inspect', garbage);
    expect(outcome.status).toBe(1);
    expect(outcome.stderr).toMatch(/^ladon: OnnxImportError \[E_IMPORT\]: .*garbage\.onnx: /);
    expect(outcome.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('ladon run', () => {
  it('writes output_<i>.pb files that match the expected outputs', async () => {
    const out = path.join(scratch, 'run_out');
    const outcome = ladon('run', `${SEED_BLOCK}/model.onnx`, '--inputs', `${SEED_BLOCK}/test_data_set_0`, '--out', out);
    expect(outcome.status).toBe(0);
    const got = await readTensorFile(path.join(out, 'output_0.pb'));
    const expected = await readTensorFile(path.join(REPO_ROOT, SEED_BLOCK, 'test_data_set_0/output_0.pb'));
    expect(got.name).toBe('y');
    expect(got.tensor.shape).toEqual(expected.tensor.shape);
    const data = expected.tensor.data as Float32Array;
    expect(Math.max(...(got.tensor.data as Float32Array).map((value, index) => Math.abs(value - data[index])))).toBeLessThan(1e-5);
  });

  it("finds a relative --inputs in the model's folder", () => {
    const outcome = ladon('run', `${SEED_BLOCK}/model.onnx`, '--inputs', 'test_data_set_1', '--backend', 'reference');
    expect(outcome.stderr).toBe('');
    expect(outcome.stdout).toMatch(/^y: f32\[3, 7, 64\] = /m);
    expect(ladon('run', `${SEED_BLOCK}/model.onnx`, '--inputs', 'no_such_directory').stderr).toMatch(/^ladon: FileAccessError \[E_IO\]: no_such_directory/);
  });

  it('--profile prints a table of every step (op, kernel, ms) and the total, then the outputs', () => {
    const outcome = ladon('run', `${SEED_BLOCK}/model.onnx`, '--inputs', 'test_data_set_1', '--profile');
    expect(outcome.stderr).toBe('');
    const lines = outcome.stdout.split('\n');
    expect(lines[0]).toMatch(/^step +op +kernel +ms$/);
    const steps = lines.filter((line) => /^\d+ +\S+ +\S+ +\d+\.\d{3}$/.test(line));
    expect(steps.length).toBeGreaterThan(1);
    expect(steps.some((line) => /^\d+ +Attention /.test(line))).toBe(true);
    expect(outcome.stdout).toMatch(new RegExp(`^total \\d+\\.\\d{3} ms over ${steps.length} steps$`, 'm'));
    expect(outcome.stdout).toMatch(/^y: f32\[3, 7, 64\] = /m);
    expect(ladon('run', `${SEED_BLOCK}/model.onnx`, '--inputs', 'test_data_set_1', '--profile', '--backend', 'reference').stderr).toMatch(/--profile times the steps of the wasm backend/);
  });

  it('prints a summary of each output without --out', () => {
    const outcome = ladon('run', `${SEED_BLOCK}/model.onnx`, '--inputs', `${SEED_BLOCK}/test_data_set_1`);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toMatch(/^y: f32\[3, 7, 64\] = \[-?\d.*\.\.\. \(1344 values\)\]$/m);
  });
});

describe('ladon compile', () => {
  it('writes a .ladon program that ladon run executes without the ONNX model, with the same results', async () => {
    const caseDir = '../shared/conformance/onnx-attention/test_attention_4d_gqa_with_past_and_present';
    const out = path.join(scratch, 'compiled');
    const compiled = ladon('compile', `${caseDir}/model.onnx`, '--target', 'wasm', '-o', out);
    expect(compiled.stderr).toBe('');
    expect(compiled.stdout).toMatch(/^wrote .*model\.ladon: [\d.]+ KiB \(\d+ B wasm module \(\+ relaxed-SIMD variant\)/);
    const results = path.join(scratch, 'compiled_out');
    const ran = ladon('run', path.join(out, 'model.ladon'), '--inputs', `${caseDir}/test_data_set_0`, '--out', results);
    expect(ran.stdout).toMatch(/wrote 3 outputs .*\(backend wasm\)/);
    for (const index of [0, 1, 2]) {
      const got = await readTensorFile(path.join(results, `output_${index}.pb`));
      const expected = await readTensorFile(path.join(REPO_ROOT, caseDir, `test_data_set_0/output_${index}.pb`));
      const data = expected.tensor.data as Float32Array;
      expect(got.name).toBe(expected.name);
      expect(Math.max(...(got.tensor.data as Float32Array).map((value, i) => Math.abs(value - data[i])))).toBeLessThan(1e-5);
    }
  });

  it('requires a target', () => {
    expect(ladon('compile', `${SEED_BLOCK}/model.onnx`, '-o', scratch).status).toBe(2);
  });
});

describe('command line usage', () => {
  it('reports a child process that hits its timeout as a timeout', () => {
    expect(() => runNode(['-e', 'setTimeout(() => {}, 10_000)'], 1)).toThrow(/: timed out after 1 s/);
  });

  it('has --help with examples for every command, and marks required options', () => {
    for (const command of [[], ['check'], ['run'], ['inspect'], ['compile']]) {
      const outcome = ladon(...command, '--help');
      expect(outcome.status).toBe(0);
      expect(outcome.stdout).toMatch(/^Usage: ladon/);
      expect(outcome.stdout).toMatch(new RegExp(`\\nExamples:\\n  \\$ ladon ${command[0] ?? 'check'} `));
    }
    expect(ladon('run', '--help').stdout).toMatch(/^Usage: ladon run <model> --inputs <dir> \[options\]$/m);
    expect(ladon('run', '--help').stdout).toMatch(/--inputs <dir>\s+\(required\)/);
    expect(ladon('compile', '--help').stdout).toMatch(/--target <target>\s+\(required\)[\s\S]*--out <dir>\s+\(required\)/);
  });

  it('runs every example in --help', () => {
    const examples = ['check', 'run', 'inspect', 'compile'].flatMap((command) => [...ladon(command, '--help').stdout.matchAll(/^ {2}\$ ladon (.+)$/gm)].map((match) => match[1]));
    expect(examples.length).toBeGreaterThanOrEqual(6);
    for (const example of examples) {
      const outcome = ladon(...example.split(' ').flatMap(shellWords));
      expect(outcome.status, `ladon ${example}: ${outcome.stderr}`).toBe(0);
    }
  });

  it('exits 2 with commander errors for unknown flags and missing arguments', () => {
    expect(ladon('check', SEED_BLOCK, '--frobnicate').stderr).toContain("error: unknown option '--frobnicate'");
    expect(ladon('check', SEED_BLOCK, '--frobnicate').status).toBe(2);
    expect(ladon('check').status).toBe(2);
    expect(ladon('run', `${SEED_BLOCK}/model.onnx`).stderr).toContain("required option '--inputs <dir>' not specified");
    expect(ladon('check', SEED_BLOCK, '--rtol', 'lots').status).toBe(2);
    expect(ladon('check', SEED_BLOCK, '--backend', 'cuda').status).toBe(2);
    expect(ladon().status).toBe(2);
  });
});
