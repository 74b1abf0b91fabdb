#!/usr/bin/env node
// What Ladon does today with each held-out export (tests/held-out/index.json):
// does it import (@ladon/onnx importOnnxModel), does the pass pipeline run
// (@ladon/compiler compileGraph), how many Attention / CBAM ops the compiled
// graph has against what the case expects and how many Softmax / Sigmoid are
// left, and whether `ladon check --backend reference` and `--backend wasm`
// reproduce torch's outputs within the case's tolerance; plus the first error.
// It also lists, per case, every op type of the export that @ladon/ir does
// not know (import stops at the first). The Attention count is read from
// `ladon inspect --json` too, and a disagreement with the API is reported.
//
// A baseline for issues 11-13, not a test: it is not part of `npm test`.
// Uses the built packages (run `npm run build` first).
//
//   node tests/held-out/survey.mjs [--json] [--no-wasm] [--no-check] [CASE ...]
//   (--no-wasm: skip the wasm check; --no-check: skip both checks)
/* global console, process */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importOnnxModel } from '@ladon/onnx';
import { compileGraph } from '@ladon/compiler';
import { runLadon } from '@ladon/cli';
import { hasOp } from '@ladon/ir';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function parseArguments(argv) {
  const flags = new Set(argv.filter((arg) => arg.startsWith('--')));
  const known = new Set(['--json', '--no-wasm', '--no-check']);
  const unknown = [...flags].filter((flag) => !known.has(flag));
  if (unknown.length > 0) throw new Error(`unknown option(s) ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  return {
    json: flags.has('--json'),
    wasm: !flags.has('--no-wasm'),
    check: !flags.has('--no-check'),
    cases: argv.filter((arg) => !arg.startsWith('--')),
  };
}

/** Runs the ladon command in this process and returns its exit code and captured stdout. */
async function ladon(argv) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (text) => (stdout += text) }, stderr: { write: (text) => (stderr += text) } };
  const code = await runLadon(argv, io);
  return { code, stdout, stderr };
}

function firstLine(error) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0].slice(0, 220);
}

function countOps(graph, ...ops) {
  const counts = Object.fromEntries(ops.map((op) => [op, 0]));
  for (const node of graph.nodes) if (node.op in counts) counts[node.op] += 1;
  return counts;
}

async function inspectAttentionCount(modelFile) {
  const { code, stdout, stderr } = await ladon(['inspect', modelFile, '--json']);
  if (code !== 0) return { error: stderr.trim().split('\n')[0] };
  return { attention: JSON.parse(stdout).ops.Attention ?? 0 };
}

async function backendCheck(caseDir, backend) {
  const { stdout, stderr } = await ladon(['check', caseDir, '--backend', backend, '--json']);
  try {
    const result = JSON.parse(stdout).cases[0];
    return { status: result.status, message: result.status === 'passed' ? '' : result.message };
  } catch {
    return { status: 'error', message: stderr.trim().split('\n')[0] };
  }
}

/** Each step stops the survey of that case at its first failure. */
async function surveyCase(record, options) {
  const caseDir = path.join(HERE, record.name);
  const modelFile = path.join(caseDir, 'model.onnx');
  const fusion = record.expected_fusion;
  const row = {
    name: record.name,
    imports: false,
    compiles: null,
    attention: null,
    expectedAttention: fusion.attention_count ?? 0,
    softmaxLeft: null,
    cbam: null,
    expectedCbam: fusion.cbam_count ?? 0,
    sigmoidLeft: null,
    reference: null,
    wasm: null,
    unknownOps: Object.keys(record.op_counts).filter((op) => !hasOp(op)),
    firstError: '',
  };
  let graph;
  try {
    graph = importOnnxModel(new Uint8Array(await readFile(modelFile)), { fileName: modelFile }).graph;
    row.imports = true;
  } catch (error) {
    row.firstError = `import: ${firstLine(error).replace(`${modelFile}: `, '')}`;
    return row;
  }
  let compiled;
  try {
    compiled = compileGraph(graph).graph;
    row.compiles = true;
  } catch (error) {
    row.compiles = false;
    row.firstError = `compile: ${firstLine(error)}`;
    return row;
  }
  const counts = countOps(compiled, 'Attention', 'Softmax', 'CBAM', 'Sigmoid');
  Object.assign(row, { attention: counts.Attention, softmaxLeft: counts.Softmax, cbam: counts.CBAM, sigmoidLeft: counts.Sigmoid });
  const inspected = await inspectAttentionCount(modelFile);
  if (inspected.error || inspected.attention !== row.attention) {
    row.firstError = `inspect --json disagrees: ${inspected.error ?? `${inspected.attention} Attention`}`;
  }
  const backends = options.check ? ['reference', ...(options.wasm ? ['wasm'] : [])] : [];
  for (const backend of backends) {
    const checked = await backendCheck(caseDir, backend);
    row[backend] = checked.status;
    if (checked.status !== 'passed') row.firstError ||= `${backend} check: ${checked.message.split('\n')[0].slice(0, 200)}`;
  }
  return row;
}

function mark(value) {
  return value === null ? '-' : value === true ? 'yes' : value === false ? 'NO' : String(value);
}

function printTable(rows) {
  const header = ['case', 'import', 'compile', 'Attention/exp', 'Softmax', 'CBAM/exp', 'Sigmoid', 'reference', 'wasm', 'first error'];
  const lines = rows.map((r) => [
    r.name,
    mark(r.imports),
    mark(r.compiles),
    `${mark(r.attention)}/${r.expectedAttention}`,
    mark(r.softmaxLeft),
    `${mark(r.cbam)}/${r.expectedCbam}`,
    mark(r.sigmoidLeft),
    mark(r.reference),
    mark(r.wasm),
    r.firstError,
  ]);
  const widths = header.slice(0, -1).map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const format = (cells) => cells.map((cell, column) => (column < widths.length ? cell.padEnd(widths[column]) : cell)).join('  ');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
}

function printUnknownOps(rows) {
  console.log('\nop types Ladon does not know, per case:');
  for (const row of rows) if (row.unknownOps.length > 0) console.log(`  ${row.name}: ${row.unknownOps.join(', ')}`);
  const blocking = new Map();
  for (const row of rows) for (const op of row.unknownOps) blocking.set(op, (blocking.get(op) ?? 0) + 1);
  const ranked = [...blocking.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  console.log(`cases each unknown op blocks: ${ranked.map(([op, n]) => `${op} ${n}`).join(', ')}`);
}

function summary(rows) {
  const count = (predicate) => rows.filter(predicate).length;
  const fusedAsExpected = count((r) => r.compiles && r.attention === r.expectedAttention && r.cbam === r.expectedCbam && (r.expectedAttention === 0 || r.softmaxLeft === 0) && (r.expectedCbam === 0 || r.sigmoidLeft === 0));
  return {
    cases: rows.length,
    imported: count((r) => r.imports),
    compiled: count((r) => r.compiles),
    fusedAsExpected,
    referencePassed: count((r) => r.reference === 'passed'),
    wasmPassed: count((r) => r.wasm === 'passed'),
  };
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const index = JSON.parse(await readFile(path.join(HERE, 'index.json'), 'utf8'));
  const missing = options.cases.filter((name) => !index.cases.some((record) => record.name === name));
  if (missing.length > 0) throw new Error(`not in index.json: ${missing.join(', ')}`);
  const records = index.cases.filter((record) => options.cases.length === 0 || options.cases.includes(record.name));
  const rows = [];
  for (const record of records) rows.push(await surveyCase(record, options));
  const totals = summary(rows);
  if (options.json) {
    console.log(JSON.stringify({ ...totals, rows }));
    return;
  }
  printTable(rows);
  printUnknownOps(rows);
  console.log(
    `\n${totals.cases} cases: ${totals.imported} import, ${totals.compiled} compile, ${totals.fusedAsExpected} fuse as expected, ` +
      `${totals.referencePassed} pass on reference, ${totals.wasmPassed} pass on wasm`,
  );
}

main().catch((error) => {
  console.error(`survey: ${firstLine(error)}`);
  process.exitCode = 1;
});
