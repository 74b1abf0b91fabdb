import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArguments } from './options.js';

const BENCH = '/repo/apps/bench';

describe('parseArguments', () => {
  it('writes to the untracked results/ folder unless asked to update the committed results', () => {
    expect(parseArguments([], BENCH)).toEqual({ quick: false, outDirectory: path.join(BENCH, 'results'), caseIds: [], threadCounts: [], startUpOnly: false });
    expect(parseArguments(['--update-results'], BENCH)).toEqual({ quick: false, outDirectory: BENCH, caseIds: [], threadCounts: [], startUpOnly: false });
    expect(parseArguments(['--quick', '--out', '/tmp/x'], BENCH)).toEqual({ quick: true, outDirectory: '/tmp/x', caseIds: [], threadCounts: [], startUpOnly: false });
    expect(parseArguments(['--start-up'], BENCH).startUpOnly).toBe(true);
  });

  it('takes the cases to run with --case (repeatable)', () => {
    expect(parseArguments(['--case', 'attention-s512', '--case', 'mha-block-s512'], BENCH).caseIds).toEqual(['attention-s512', 'mha-block-s512']);
  });

  it('takes the thread counts to run at with --threads (repeatable, positive integers)', () => {
    expect(parseArguments(['--threads', '1', '--threads', '4'], BENCH).threadCounts).toEqual([1, 4]);
    expect(() => parseArguments(['--threads', '0'], BENCH)).toThrow(/unknown argument '--threads'/);
  });

  it('refuses unknown arguments and --out with --update-results', () => {
    expect(() => parseArguments(['--fast'], BENCH)).toThrow(/unknown argument '--fast'/);
    expect(() => parseArguments(['--out', '/tmp/x', '--update-results'], BENCH)).toThrow(/exclude each other/);
  });
});
