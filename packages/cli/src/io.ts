/** Where the command writes: the process streams, or captured buffers in tests. */

/** A text sink; `isTTY` tells whether progress lines may use `\r`. */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** The command's output streams. */
export interface CliIO {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
}

/** The process's own stdout and stderr. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr };
}
