/**
 * Feeds against a program's inputs: every input present with the right
 * dtype and a shape that fits its declared (symbolic) shape; the symbols are
 * bound consistently across inputs; within the compiled symbol limits.
 */
import { bindShape, describeTensorProblem, evaluateDim, FeedError, formatShape, LadonError, type BufferSpec, type Dim, type Program, type Tensor } from '@ladon/ir';
import { LimitError } from './errors.js';
import { runHostProgram } from './host-program.js';

/** What a run knows once the feeds are checked: every symbol's value, and the values the host computed. */
export interface RunBindings {
  readonly bindings: ReadonlyMap<string, number>;
  /** Values of the program's host part, by value name (buffers marked `host` are written from these). */
  readonly hostValues: ReadonlyMap<string, Tensor>;
}

/** Checks `feeds`, binds the symbols of the input shapes, then runs the program's host part, which binds the rest. */
export function bindRun(program: Program, feeds: Readonly<Record<string, Tensor>>): RunBindings {
  const bindings = bindFeeds(program, feeds);
  const hostValues = runHostProgram(program, feeds, bindings);
  return { bindings, hostValues };
}

/** The host-computed contents of a buffer marked `host`, checked against its dtype and concrete shape. */
export function hostValueOf(spec: BufferSpec, hostValues: ReadonlyMap<string, Tensor>, shape: readonly number[]): Tensor {
  const value = hostValues.get(spec.name);
  if (!value) throw new LadonError('E_PROGRAM', `buffer ${spec.name} is to be written by the host, but the program's host part does not compute it`, { tensor: spec.name });
  if (value.dtype !== spec.dtype || value.shape.length !== shape.length || value.shape.some((dim, axis) => dim !== shape[axis])) {
    throw new LadonError('E_PROGRAM', `the host computed %${spec.name} as ${value.dtype}${formatShape(value.shape)}, but its buffer is ${spec.dtype}${formatShape(shape)}`, { tensor: spec.name });
  }
  return value;
}

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
