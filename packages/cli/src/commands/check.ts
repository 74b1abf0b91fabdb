/**
 * `ladon check CASE_DIR... [--backend B] [--json] [--by-op] [--rtol R --atol A]`:
 * runs ONNX backend-test cases and compares every output. `--json` prints
 * one line `{"passed","failed","skipped","byOp":{...},"cases":[...]}`;
 * otherwise a table of the cases (`--by-op`: of the ops, one line each with
 * its counts) and a summary line. A case counts under every op its model
 * uses (an ONNX node test uses one). Exit code 0 only when nothing failed
 * and at least one case ran; when every directory was skipped (no
 * model.onnx with test_data_set_*), it says so on stderr and exits 1.
 */
import { selectBackend, type BackendChoice } from '../backends.js';
import { EXIT_FAILURE, EXIT_OK } from '../errors.js';
import { formatTable, plural, shortNumber } from '../format.js';
import type { CliIO } from '../io.js';
import { ProgressLine } from '../progress.js';
import { checkCase, type CaseResult } from './check-case.js';

/** The options of `ladon check`. */
export interface CheckOptions {
  readonly backend: BackendChoice;
  readonly json?: boolean;
  /** Print one line per op (cases, passed, failed, skipped) instead of one per case. */
  readonly byOp?: boolean;
  readonly rtol?: number;
  readonly atol?: number;
}

/** How many cases passed, failed and were skipped. */
interface StatusCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Counts of each status. */
function summarize(results: readonly CaseResult[]): StatusCounts {
  const count = (status: CaseResult['status']) => results.filter((result) => result.status === status).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

/** Counts of each status per op, ops sorted by name; a case counts under every op its model uses, one without a readable model under `?`. */
function summarizeByOp(results: readonly CaseResult[]): Record<string, StatusCounts> {
  const byOp = new Map<string, CaseResult[]>();
  for (const result of results) {
    if (result.status === 'skipped' && result.ops.length === 0) continue;
    for (const op of result.ops.length > 0 ? result.ops : ['?']) byOp.set(op, [...(byOp.get(op) ?? []), result]);
  }
  return Object.fromEntries([...byOp].sort(([a], [b]) => a.localeCompare(b)).map(([op, cases]) => [op, summarize(cases)]));
}

function printByOp(byOp: Record<string, StatusCounts>, io: CliIO): void {
  const rows = [['OP', 'CASES', 'PASSED', 'FAILED', 'SKIPPED']];
  for (const [op, counts] of Object.entries(byOp)) {
    rows.push([op, String(counts.passed + counts.failed + counts.skipped), String(counts.passed), String(counts.failed), String(counts.skipped)]);
  }
  io.stdout.write(`${formatTable(rows)}\n`);
}

function printTable(results: readonly CaseResult[], io: CliIO): void {
  const rows = [['STATUS', 'CASE', 'MAX ABS ERR', 'MESSAGE']];
  for (const result of results) {
    const status = result.status === 'failed' ? 'FAIL' : result.status === 'passed' ? 'pass' : 'skip';
    rows.push([status, result.name, result.maxAbsErr === null ? '-' : shortNumber(result.maxAbsErr), result.message]);
  }
  io.stdout.write(`${formatTable(rows)}\n`);
}

/** Runs `ladon check`; returns the exit code. */
export async function checkCommand(directories: readonly string[], options: CheckOptions, io: CliIO): Promise<number> {
  const backend = selectBackend(options.backend);
  const overrides = { ...(options.rtol === undefined ? {} : { rtol: options.rtol }), ...(options.atol === undefined ? {} : { atol: options.atol }) };
  const progress = new ProgressLine(io.stderr, directories.length);
  const results: CaseResult[] = [];
  for (const [index, directory] of directories.entries()) {
    progress.update(index + 1, directory);
    results.push(await checkCase(directory, backend, overrides));
  }
  progress.done();
  const counts = summarize(results);
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ ...counts, byOp: summarizeByOp(results), cases: results })}\n`);
  } else {
    if (options.byOp) printByOp(summarizeByOp(results), io);
    else printTable(results, io);
    io.stdout.write(`backend: ${backend.name}\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
  if (counts.passed + counts.failed === 0) {
    io.stderr.write(`ladon: no test case found in ${plural(directories.length, 'path')}: a case is a directory with model.onnx and test_data_set_*/ (input_<i>.pb, output_<i>.pb)\n`);
    return EXIT_FAILURE;
  }
  return counts.failed > 0 ? EXIT_FAILURE : EXIT_OK;
}
