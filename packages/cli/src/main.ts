/** `runLadon`: the whole command as a function (argv in, exit code out). */
import { EXIT_OK, reportError } from './errors.js';
import { processIO, type CliIO } from './io.js';
import { createProgram, type ExitState } from './program.js';

/**
 * Runs the `ladon` command line on `argv` (without the node and script
 * paths) and resolves to the exit code: 0 success, 1 a failed check or a
 * typed error (printed as `ladon: <name> [<code>]: <message>`), 2 a usage
 * error.
 */
export async function runLadon(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const state: ExitState = { exitCode: EXIT_OK };
  try {
    await createProgram(io, state).parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}
