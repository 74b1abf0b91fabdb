/**
 * Patterns are data. A pattern describes a value: produced by an op whose
 * inputs match sub-patterns (`op`), or any value, captured by name
 * (`capture`), or a constant (`constant`), or one of several alternatives
 * (`oneOf`). Capturing the same name twice requires the same value. The
 * operands of a commutative op (the `commutative` trait of its OpDef: Add,
 * Mul, Equal) match in either order.
 *
 * ```ts
 * const scores = op('MatMul', [capture('q'), op('Transpose', [capture('k')], { as: 'kT' })]);
 * const probs = op('Softmax', [scores], { as: 'softmax' });
 * ```
 */
import type { Attributes, Node, Tensor } from '@ladon/ir';

/** Options of an op pattern. */
export interface OpPatternOptions {
  /** Captures the matched node under this name (its output under the same name in `values`). */
  readonly as?: string;
  /** A condition on the node's attributes. */
  readonly where?: (attrs: Attributes, node: Node) => boolean;
  /** Which output of the node the value must be (default 0). */
  readonly output?: number;
  /** Match even when the node has more inputs than the pattern lists (trailing ones are free). */
  readonly extraInputs?: boolean;
}

/** Matches a value produced by `op`. */
export interface OpPattern {
  readonly kind: 'op';
  readonly op: string | readonly string[];
  readonly inputs: readonly Pattern[];
  readonly options: OpPatternOptions;
}

/** Matches any value and records it under `name`. */
export interface CapturePattern {
  readonly kind: 'capture';
  readonly name: string;
}

/** Matches a constant (initializer or Constant output) satisfying `where`, captured under `name`. */
export interface ConstantPattern {
  readonly kind: 'constant';
  readonly name?: string;
  readonly where?: (value: Tensor) => boolean;
}

/** Matches the first alternative that matches. */
export interface OneOfPattern {
  readonly kind: 'oneOf';
  readonly alternatives: readonly Pattern[];
}

/** Any pattern. */
export type Pattern = OpPattern | CapturePattern | ConstantPattern | OneOfPattern;

/** A value produced by `op` (or any of several ops) from inputs matching `inputs`. */
export function op(name: string | readonly string[], inputs: readonly Pattern[], options: OpPatternOptions = {}): OpPattern {
  return { kind: 'op', op: name, inputs, options };
}

/** Any value, captured as `name`. */
export function capture(name: string): CapturePattern {
  return { kind: 'capture', name };
}

/** A constant value, optionally captured and tested. */
export function constant(name?: string, where?: (value: Tensor) => boolean): ConstantPattern {
  return { kind: 'constant', ...(name ? { name } : {}), ...(where ? { where } : {}) };
}

/** The first of `alternatives` that matches. */
export function oneOf(...alternatives: Pattern[]): OneOfPattern {
  return { kind: 'oneOf', alternatives };
}
