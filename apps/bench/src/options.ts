/** The command line of the benchmark. */
import path from 'node:path';

/** The command-line options. */
export interface BenchOptions {
  readonly quick: boolean;
  readonly outDirectory: string;
  /** Case ids to run (all when empty); the long-context run is skipped when any are given. */
  readonly caseIds: readonly string[];
  /** Thread counts to run at instead of the plan's (all of the plan's when empty). */
  readonly threadCounts: readonly number[];
  /** Only the time-to-first-result processes (start-up.ts): nothing is written. */
  readonly startUpOnly: boolean;
}

const USAGE = 'usage: node apps/bench/dist/main.js [--quick] [--out DIR | --update-results] [--case ID]... [--threads N]... | --start-up';

/**
 * Parses the arguments (after `node main.js`). RESULTS.md and results.svg go
 * to `--out DIR`, else to `benchDirectory/results/` (untracked); only
 * `--update-results` writes the committed files in `benchDirectory`.
 */
export function parseArguments(args: readonly string[], benchDirectory: string): BenchOptions {
  let quick = false;
  let outDirectory: string | undefined;
  let update = false;
  const caseIds: string[] = [];
  const threadCounts: number[] = [];
  let startUpOnly = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--quick') quick = true;
    else if (args[i] === '--start-up') startUpOnly = true;
    else if (args[i] === '--update-results') update = true;
    else if (args[i] === '--out' && args[i + 1]) outDirectory = path.resolve(args[++i]);
    else if (args[i] === '--case' && args[i + 1]) caseIds.push(args[++i]);
    else if (args[i] === '--threads' && /^[1-9]\d*$/.test(args[i + 1] ?? '')) threadCounts.push(Number(args[++i]));
    else throw new Error(`unknown argument '${args[i]}'\n${USAGE}`);
  }
  if (update && outDirectory !== undefined) throw new Error(`--out and --update-results exclude each other\n${USAGE}`);
  return { quick, outDirectory: update ? benchDirectory : (outDirectory ?? path.join(benchDirectory, 'results')), caseIds, threadCounts, startUpOnly };
}
