/** The command line of the benchmark. */
import path from 'node:path';

/** The command-line options. */
export interface BenchOptions {
  readonly quick: boolean;
  readonly outDirectory: string;
}

const USAGE = 'usage: node apps/bench/dist/main.js [--quick] [--out DIR]';

/** Parses the arguments (after `node main.js`). */
export function parseArguments(args: readonly string[], defaultOut: string): BenchOptions {
  let quick = false;
  let outDirectory = defaultOut;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--quick') quick = true;
    else if (args[i] === '--out' && args[i + 1]) outDirectory = path.resolve(args[++i]);
    else throw new Error(`unknown argument '${args[i]}'\n${USAGE}`);
  }
  return { quick, outDirectory };
}
