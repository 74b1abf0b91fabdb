/**
 * Checks one ONNX backend-test case on a backend: every data set, every
 * output. A case that throws (bad model, unsupported op) is a failed case
 * with the error's message, never an abort of the whole run.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { compareTensors, LadonError, toleranceFor, type Tolerance } from '@ladon/ir';
import { onnxModelOps } from '@ladon/onnx';
import { loadTestCase } from '@ladon/onnx/node';
import type { Backend } from '../backends.js';
import { formatLadonError } from '../errors.js';
import { plural } from '../format.js';

/** The outcome of one case. */
export type CaseStatus = 'passed' | 'failed' | 'skipped';

/** One case's line in the report (and in `--json`). */
export interface CaseResult {
  readonly name: string;
  /** The op types the case's model uses (one for an ONNX node test; empty when there is no readable model). */
  readonly ops: readonly string[];
  readonly status: CaseStatus;
  /** The largest |got - expected| over all compared float outputs (null when nothing was compared). */
  readonly maxAbsErr: number | null;
  readonly message: string;
}

function errorMessage(error: unknown): string {
  if (error instanceof LadonError) return formatLadonError(error);
  return `internal error: ${error instanceof Error ? error.message : String(error)}`;
}

/** True when `file` exists and is not a directory (a README beside the cases, when a shell glob picks it up). */
async function isPlainFile(file: string): Promise<boolean> {
  try {
    return !(await stat(file)).isDirectory();
  } catch {
    return false;
  }
}

/** When `directory` has no model.onnx but its subdirectories do (a folder of cases), says how to pass them. */
async function folderOfCasesHint(directory: string): Promise<string | undefined> {
  if (await isPlainFile(path.join(directory, 'model.onnx'))) return undefined;
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  const checks = await Promise.all(entries.filter((entry) => entry.isDirectory()).map((entry) => isPlainFile(path.join(directory, entry.name, 'model.onnx'))));
  const cases = checks.filter(Boolean).length;
  return cases > 0 ? `no model.onnx here, but ${cases} of its subdirectories hold cases: pass ${path.join(directory, '*')} to check them` : undefined;
}

/** The op types of the case's model.onnx, read even when Ladon cannot import it (none when it cannot be read). */
async function caseOps(directory: string): Promise<string[]> {
  try {
    return onnxModelOps(new Uint8Array(await readFile(path.join(directory, 'model.onnx'))));
  } catch {
    return [];
  }
}

/** Loads, runs and compares one case directory; a plain file is skipped. */
export async function checkCase(directory: string, backend: Backend, overrides: Partial<Tolerance>): Promise<CaseResult> {
  const result = await runCase(directory, backend, overrides);
  return { name: path.basename(path.resolve(directory)), ops: result.status === 'skipped' ? [] : await caseOps(directory), ...result };
}

async function runCase(directory: string, backend: Backend, overrides: Partial<Tolerance>): Promise<Omit<CaseResult, 'name' | 'ops'>> {
  let maxAbsErr: number | null = null;
  if (await isPlainFile(directory)) return { status: 'skipped', maxAbsErr, message: 'not a directory, so not a test case' };
  const hint = await folderOfCasesHint(directory);
  if (hint) return { status: 'failed', maxAbsErr, message: hint };
  try {
    const testCase = await loadTestCase(directory);
    if (testCase.dataSets.length === 0) return { status: 'skipped', maxAbsErr, message: 'no test_data_set_* directories' };
    const prepared = await backend.prepare(testCase.model.graph);
    const failures: string[] = [];
    let compared = 0;
    try {
      for (const dataSet of testCase.dataSets) {
        const outputs = await prepared.run(dataSet.inputs);
        for (const [output, expected] of Object.entries(dataSet.outputs)) {
          const comparison = compareTensors(outputs[output], expected, toleranceFor(expected.dtype, overrides));
          maxAbsErr = Math.max(maxAbsErr ?? 0, comparison.maxAbsErr);
          compared++;
          if (!comparison.ok) failures.push(`${dataSet.name}/${output}: ${comparison.problem}`);
        }
      }
    } finally {
      prepared.dispose();
    }
    if (failures.length > 0) {
      const more = failures.length > 1 ? ` (and ${plural(failures.length - 1, 'more output')})` : '';
      return { status: 'failed', maxAbsErr, message: `${failures[0]}${more}` };
    }
    return { status: 'passed', maxAbsErr, message: `${plural(testCase.dataSets.length, 'data set')}, ${plural(compared, 'output')} within tolerance` };
  } catch (error) {
    return { status: 'failed', maxAbsErr, message: errorMessage(error) };
  }
}
