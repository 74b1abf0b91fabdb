/**
 * A progress line on stderr (`[12/87] test_attention_4d_gqa`), redrawn in
 * place with `\r` when stderr is a terminal. When it is not (pipes, CI
 * logs), nothing is printed: the final report says it all.
 */
import type { TextSink } from './io.js';

/** Shows which item of how many is being worked on. */
export class ProgressLine {
  private shown = false;

  constructor(
    private readonly sink: TextSink,
    private readonly total: number,
  ) {}

  /** Shows item `position` (1-based) named `label`. */
  update(position: number, label: string): void {
    if (!this.sink.isTTY || this.total < 2) return;
    this.sink.write(`\r[${position}/${this.total}] ${label}\x1b[K`);
    this.shown = true;
  }

  /** Clears the line. */
  done(): void {
    if (this.shown) this.sink.write('\r\x1b[K');
    this.shown = false;
  }
}
