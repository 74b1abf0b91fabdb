/**
 * Smoke test: runs the built benchmark with --quick and checks the report's
 * shape: the table headings; on every case a measured time and a right
 * output for Ladon (relaxed and plain SIMD) at every thread count, for at
 * least one onnxruntime-web variant at every thread count (the baseline),
 * for onnxruntime-node and for tfjs; Ladon against onnxruntime-web on the
 * position cases; and the files written. It never judges speed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUICK_PLAN } from './cases.js';
import { SPEED_HEADINGS } from './report-tables.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const LADON = ['Ladon (wasm)', 'Ladon (wasm, plain SIMD)'];

const TIMEOUT_SECONDS = 480;

let outDirectory: string;
let run: { status: number | null; stdout: string; stderr: string };

/** The cells of the speed-table rows of one case. */
function rowsOf(stdout: string, label: string): string[][] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(`| ${label} |`))
    .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim()));
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the bench first (npm run build)`);
  outDirectory = mkdtempSync(path.join(os.tmpdir(), 'ladon-bench-'));
  const result = spawnSync(process.execPath, [MAIN, '--quick', '--out', outDirectory], { encoding: 'utf8', timeout: TIMEOUT_SECONDS * 1000 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') throw new Error(`the quick benchmark timed out after ${TIMEOUT_SECONDS} s\n${result.stderr}`);
  run = { status: result.status, stdout: result.stdout, stderr: result.stderr };
}, (TIMEOUT_SECONDS + 10) * 1000);

afterAll(() => rmSync(outDirectory, { recursive: true, force: true }));

describe('npm run bench -- --quick', () => {
  it('finishes, with progress on stderr and the table headings on stdout', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('[bench] ');
    expect(run.stdout).toContain(`| ${SPEED_HEADINGS.join(' | ')} |`);
    expect(run.stdout).toContain('| runtime | time to first result |');
  });

  it('has a measured time and a small error for Ladon, the onnxruntime baselines and tfjs on every case', () => {
    const measured = (row: string[]): boolean => Number.parseFloat(row[3]) > 0 && Number.parseFloat(row[8]) < 1e-3;
    for (const benchCase of QUICK_PLAN.cases) {
      const rows = rowsOf(run.stdout, benchCase.label);
      for (const threads of QUICK_PLAN.threadCounts) {
        for (const ladon of LADON) {
          const row = rows.find((cells) => cells[1] === ladon && cells[2] === String(threads));
          expect(row && measured(row), `${benchCase.label} ${ladon} ${threads}: ${row?.join(' | ')}`).toBe(true);
        }
        const ortWeb = rows.filter((cells) => cells[1].startsWith('onnxruntime-web [') && cells[2] === String(threads));
        expect(ortWeb.some(measured), `${benchCase.label} onnxruntime-web at ${threads} threads`).toBe(true);
      }
      expect(rows.filter((cells) => cells[1].startsWith('onnxruntime-node [')).some(measured), `${benchCase.label} onnxruntime-node`).toBe(true);
      expect(rows.filter((cells) => cells[1] === 'tfjs-backend-wasm').every(measured), `${benchCase.label} tfjs`).toBe(true);
    }
  });

  it('has Ladon and onnxruntime-web times, a ratio and a small error on every position case at every thread count', () => {
    for (const positionCase of QUICK_PLAN.positionCases) {
      const rows = rowsOf(run.stdout, positionCase.label);
      for (const threads of QUICK_PLAN.threadCounts) {
        const row = rows.find((cells) => cells[1] === String(threads));
        const measured = row !== undefined && Number.parseFloat(row[2]) > 0 && Number.parseFloat(row[3]) > 0 && row[4].endsWith('×') && Number.parseFloat(row[7]) < 1e-3;
        expect(measured, `${positionCase.label} at ${threads} threads: ${row?.join(' | ')}`).toBe(true);
      }
    }
  });

  it('writes RESULTS.md referencing the SVG chart', () => {
    const markdown = readFileSync(path.join(outDirectory, 'RESULTS.md'), 'utf8');
    expect(markdown).toContain('## Machine');
    expect(markdown).toContain('](results.svg)');
    expect(markdown).toMatch(/`onnxruntime-web` \d+\.\d+\.\d+/);
    const svg = readFileSync(path.join(outDirectory, 'results.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});
