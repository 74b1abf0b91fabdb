/**
 * Passes and the pass manager. A pass is `{ name, description, run }`; it
 * rewrites the graph in place and reports what it changed through counters.
 * The verifier runs before and after the pipeline, and after every pass when
 * `verifyEach` is set.
 */
import { LadonError, printGraph, verifyGraph, type Graph } from '@ladon/ir';

/** What a pass can use while it runs. */
export interface PassContext {
  /** Adds `amount` (default 1) to the counter `what` (e.g. `folded`, `fused`). */
  count(what: string, amount?: number): void;
}

/** One compiler pass. */
export interface Pass {
  readonly name: string;
  /** One line: what the pass does. */
  readonly description: string;
  run(graph: Graph, ctx: PassContext): void;
}

/** What one pass did. */
export interface PassReport {
  readonly name: string;
  /** Wall time in milliseconds. */
  readonly ms: number;
  /** The pass's counters (only non-zero ones). */
  readonly changes: Readonly<Record<string, number>>;
  /** Node count after the pass. */
  readonly nodes: number;
}

/** Options for {@link runPipeline}. */
export interface PipelineOptions {
  /** Verify the graph after every pass, not only before and after the pipeline. */
  readonly verifyEach?: boolean;
  /** Called with the graph's text form after the pass of this name runs. */
  readonly printAfter?: { readonly pass: string; readonly print: (text: string) => void };
  /** Called after each pass (progress, tracing). */
  readonly onPass?: (report: PassReport, graph: Graph) => void;
}

/** Runs `passes` in order on `graph` (in place) and returns a report per pass. */
export function runPipeline(graph: Graph, passes: readonly Pass[], options: PipelineOptions = {}): PassReport[] {
  if (options.printAfter && !passes.some((pass) => pass.name === options.printAfter!.pass)) {
    throw new LadonError(
      'E_COMPILE',
      `unknown pass '${options.printAfter.pass}' (passes: ${passes.map((pass) => pass.name).join(', ')})`,
    );
  }
  verifyGraph(graph);
  const reports: PassReport[] = [];
  for (const pass of passes) {
    const changes: Record<string, number> = {};
    const ctx: PassContext = {
      count(what, amount = 1) {
        if (amount !== 0) changes[what] = (changes[what] ?? 0) + amount;
      },
    };
    const started = performance.now();
    try {
      pass.run(graph, ctx);
      if (options.verifyEach) verifyGraph(graph);
    } catch (error) {
      if (error instanceof LadonError && options.verifyEach) {
        throw new LadonError('E_COMPILE', `pass ${pass.name} left an invalid graph: ${error.message}`, {}, { cause: error });
      }
      throw error;
    }
    const report: PassReport = { name: pass.name, ms: performance.now() - started, changes, nodes: graph.nodes.length };
    reports.push(report);
    options.onPass?.(report, graph);
    if (options.printAfter?.pass === pass.name) options.printAfter.print(printGraph(graph, { maxConstantElements: 16 }));
  }
  verifyGraph(graph);
  return reports;
}
