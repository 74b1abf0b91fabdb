/**
 * Feeds against a program's inputs: every input present with the right
 * dtype and a shape that fits its declared (symbolic) shape; the symbols are
 * bound consistently across inputs; within the compiled symbol limits.
 */
import { bindShape, describeTensorProblem, evaluateDim, FeedError, formatShape, LadonError, type BufferSpec, type Dim, type Program, type Tensor } from '@ladon/ir';
import { LimitError } from './errors.js';

/** Checks `feeds` and returns the symbol bindings they imply. */
export function bindFeeds(program: Program, feeds: Readonly<Record<string, Tensor>>): Map<string, number> {
  const byName = new Map(program.inputs.map((input) => [input.name, program.buffers[input.buffer]]));
  for (const name of Object.keys(feeds)) {
    if (!byName.has(name)) throw new FeedError(`feed '${name}' matches no input (inputs: ${[...byName.keys()].join(', ') || 'none'})`, { tensor: name });
  }
  const bindings = new Map<string, number>();
  for (const [name, spec] of byName) checkFeed(name, spec, feeds[name], bindings);
  for (const [symbol, limit] of Object.entries(program.symbolLimits ?? {})) {
    const value = bindings.get(symbol);
    if (value !== undefined && value > limit) {
      throw new LimitError(`'${symbol}' is ${value} but this program was compiled for at most ${limit}`, { tensor: symbol });
    }
  }
  return bindings;
}

function checkFeed(name: string, spec: BufferSpec, value: Tensor | undefined, bindings: Map<string, number>): void {
  if (!value) throw new FeedError(`missing feed for input '${name}' (${spec.dtype}${formatShape(spec.shape)})`, { tensor: name });
  if (value.dtype !== spec.dtype) throw new FeedError(`input '${name}' expects dtype ${spec.dtype}, got ${value.dtype}`, { tensor: name });
  const problem = describeTensorProblem(value) ?? bindShape(spec.shape, value.shape, bindings);
  if (problem) throw new FeedError(`input '${name}': ${problem}`, { tensor: name });
}

/** A size under `bindings`, or an E_SHAPE error naming what needed it (a symbol no input binds). */
export function evaluateSize(dim: Dim, bindings: ReadonlyMap<string, number>, what: string): number {
  const value = typeof dim === 'number' ? dim : evaluateDim(dim, bindings);
  if (value === undefined) throw new LadonError('E_SHAPE', `${what}: size ${dim} is not known from the inputs' shapes`);
  return value;
}
