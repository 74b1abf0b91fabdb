/**
 * Test helpers for the pass tests (not part of the package surface): random
 * feeds for symbolic inputs (on the shared kit of @ladon/ir/testing) and
 * the "fired + same numbers" check that every pass test runs with verifyEach.
 */
import { interpret, isFloatDType, toNumbers, type Graph, type Tensor } from '@ladon/ir';
import { randomFeeds as randomFeedsOf, seededRandom, type FillSpec } from '@ladon/ir/testing';
import { expect } from 'vitest';
import { runPipeline, type Pass, type PassReport } from '../pass.js';

/** Options for {@link randomFeeds}. */
export interface FeedOptions {
  /** Concrete sizes for the symbolic dims (e.g. `{ batch: 2, seq: 5 }`). */
  readonly sizes?: Readonly<Record<string, number>>;
  readonly seed?: number;
  /** Integer inputs are drawn from [0, intLimit) (default 2). */
  readonly intLimit?: number;
  /** Feeds given explicitly (the rest are random). */
  readonly fixed?: Readonly<Record<string, Tensor>>;
}

/** Random feeds for every graph input (the shared kit of @ladon/ir/testing): floats uniform in [-2, 2), integers in [0, intLimit). */
export function randomFeeds(graph: Graph, options: FeedOptions = {}): Record<string, Tensor> {
  const fills = Object.fromEntries(
    graph.inputs.map((name): [string, FillSpec] => [name, isFloatDType(graph.typeOf(name).dtype) ? { low: -2, high: 2 } : { low: 0, high: (options.intLimit ?? 2) - 1 }]),
  );
  return { ...randomFeedsOf(graph, options.sizes ?? {}, seededRandom(options.seed ?? 1), fills), ...options.fixed };
}

/** Expects every output in `expected` to be present in `actual` with the same shape and values within `tolerance` (relative above 1). */
export function expectOutputsClose(actual: Record<string, Tensor>, expected: Record<string, Tensor>, tolerance = 1e-5): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name];
    expect(got.dtype, name).toBe(want.dtype);
    expect(got.shape, name).toEqual(want.shape);
    const gotValues = toNumbers(got);
    const wantValues = toNumbers(want);
    let worst = 0;
    gotValues.forEach((value, index) => {
      const reference = wantValues[index];
      if (Object.is(value, reference)) return;
      worst = Math.max(worst, Math.abs(value - reference) / Math.max(1, Math.abs(reference)));
    });
    expect(worst, `output ${name}: worst difference`).toBeLessThanOrEqual(tolerance);
  }
}

/** What {@link runAndCompare} found. */
export interface RunResult {
  /** The pipeline reports. */
  readonly reports: PassReport[];
  /** Every pass's counters, summed by name. */
  readonly changes: Record<string, number>;
  /** The graph before the passes (a clone). */
  readonly before: Graph;
}

/**
 * Runs `passes` on `graph` (in place, verifying after each) and checks that
 * the outputs on random feeds match the original graph's within `tolerance`.
 */
export function runAndCompare(graph: Graph, passes: readonly Pass[], feedOptions: FeedOptions = {}, tolerance = 1e-5): RunResult {
  const before = graph.clone();
  const feeds = randomFeeds(before, feedOptions);
  const expected = interpret(before, feeds);
  const reports = runPipeline(graph, passes, { verifyEach: true });
  expectOutputsClose(interpret(graph, feeds), expected, tolerance);
  const changes: Record<string, number> = {};
  for (const report of reports) for (const [what, count] of Object.entries(report.changes)) changes[what] = (changes[what] ?? 0) + count;
  return { reports, changes, before };
}
