/** The reference backend: the IR interpreter, the definition every backend is checked against. */
import { interpret, type Graph, type Tensor } from '@ladon/ir';
import type { BackendSession } from '../backend.js';

/** Runs a graph on the reference interpreter. */
export class ReferenceSession implements BackendSession {
  readonly backend = 'reference' as const;

  constructor(private readonly graph: Graph) {}

  async run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    return interpret(this.graph, feeds);
  }

  dispose(): void {}
}
