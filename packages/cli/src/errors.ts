/**
 * How the command reports failures: usage errors exit 2, Ladon's typed
 * errors print `ladon: <name> [<code>]: <message>` and exit 1 (no stack
 * trace), anything else is an internal error (exit 1, with its stack).
 */
import { LadonError } from '@ladon/ir';
import { CommanderError } from 'commander';
import type { CliIO } from './io.js';

/** A bad command line that commander cannot see (e.g. an unknown pass name). */
export class UsageError extends Error {
  override get name(): string {
    return 'UsageError';
  }
}

/** Exit code when nothing failed. */
export const EXIT_OK = 0;
/** Exit code for a failed check or any error while working. */
export const EXIT_FAILURE = 1;
/** Exit code for a bad command line. */
export const EXIT_USAGE = 2;

const NOT_AN_ERROR = new Set(['commander.helpDisplayed', 'commander.version']);

/** `ladon: <name> [<code>]: <message>` for a LadonError. */
export function formatLadonError(error: LadonError): string {
  return `${error.name} [${error.code}]: ${error.message}`;
}

/** Prints `error` the way the command line promises and returns the exit code. */
export function reportError(error: unknown, io: CliIO): number {
  if (error instanceof CommanderError) return NOT_AN_ERROR.has(error.code) ? EXIT_OK : EXIT_USAGE;
  if (error instanceof UsageError) {
    io.stderr.write(`ladon: error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof LadonError) {
    io.stderr.write(`ladon: ${formatLadonError(error)}\n`);
    return EXIT_FAILURE;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`ladon: internal error (please report it): ${detail}\n`);
  return EXIT_FAILURE;
}
