/**
 * Einsum equations (ONNX Einsum-12 / NumPy): parsing and shape resolution,
 * shared by inference (symbolic dims) and evaluation (concrete dims).
 *
 * An equation is `term,term,...->output` or, implicitly, `term,term,...`
 * (the output is then the ellipsis dims, if any, followed by the letters
 * that appear exactly once in the whole equation, in code-point order, so
 * upper case sorts before lower case). A term is letters `[A-Za-z]` with at
 * most one `...`. A letter repeated within one term takes a diagonal; a
 * letter missing from the output is summed over. The `...` dims of the
 * operands broadcast together (right-aligned); an explicit output must
 * then contain `...` unless those dims are rank 0 (as NumPy, the ONNX
 * reference, requires). An output `...` with no input `...` stands for no
 * dims. Whitespace is ignored.
 */
import { dimsCompatible, isUnknownDim, type Dim } from '../dim.js';
import type { ErrorLocation } from '../errors.js';
import { broadcastShapes, formatShape, type Shape } from '../shape.js';

/** One term of an equation: its letters in order, and where `...` sits among them (-1: none). */
export interface EinsumTerm {
  /** The term as written (whitespace removed), for messages. */
  readonly text: string;
  /** The letters, in order, without the ellipsis. */
  readonly labels: readonly string[];
  /** The number of letters before `...`, or -1 when the term has none. */
  readonly ellipsisAt: number;
}

/** A parsed equation: one term per input, and the (explicit or implicit) output term. */
export interface EinsumEquation {
  /** One term per input. */
  readonly inputs: readonly EinsumTerm[];
  /** The output term (computed for implicit equations). */
  readonly output: EinsumTerm;
}

function parseTerm(text: string, what: string): EinsumTerm | string {
  const labels: string[] = [];
  let ellipsisAt = -1;
  for (let i = 0; i < text.length; ) {
    if (text.startsWith('...', i)) {
      if (ellipsisAt >= 0) return `${what} '${text}' has more than one '...'`;
      ellipsisAt = labels.length;
      i += 3;
    } else if (/[A-Za-z]/.test(text[i])) {
      labels.push(text[i]);
      i++;
    } else {
      return `${what} '${text}' has an invalid character '${text[i]}' (expected letters and '...')`;
    }
  }
  return { text, labels, ellipsisAt };
}

/** Parses an equation for `inputCount` operands; returns an error message on failure. */
export function parseEinsum(equation: string, inputCount: number): EinsumEquation | string {
  const compact = equation.replace(/\s+/g, '');
  const sides = compact.split('->');
  if (sides.length > 2) return `equation '${equation}' has more than one '->'`;
  const lhs = sides[0].split(',');
  if (lhs.length !== inputCount) {
    return `equation '${equation}' has ${lhs.length} input term${lhs.length === 1 ? '' : 's'} but the node has ${inputCount} input${inputCount === 1 ? '' : 's'}`;
  }
  const inputs: EinsumTerm[] = [];
  for (let k = 0; k < lhs.length; k++) {
    const term = parseTerm(lhs[k], `input term ${k}`);
    if (typeof term === 'string') return term;
    inputs.push(term);
  }
  const counts = new Map<string, number>();
  for (const term of inputs) for (const label of term.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const anyEllipsis = inputs.some((term) => term.ellipsisAt >= 0);
  if (sides.length === 1) {
    const labels = [...counts.keys()].filter((label) => counts.get(label) === 1).sort();
    const text = (anyEllipsis ? '...' : '') + labels.join('');
    return { inputs, output: { text, labels, ellipsisAt: anyEllipsis ? 0 : -1 } };
  }
  const output = parseTerm(sides[1], 'output term');
  if (typeof output === 'string') return output;
  const seen = new Set<string>();
  for (const label of output.labels) {
    if (seen.has(label)) return `output term '${output.text}' repeats label '${label}'`;
    if (!counts.has(label)) return `output label '${label}' does not appear in any input term of '${equation}'`;
    seen.add(label);
  }
  return { inputs, output };
}

/** The resolved shapes of an equation: the size of each letter, the broadcast `...` dims, and the output shape. */
export interface EinsumShapes<D extends Dim> {
  /** The size of each letter, in order of first appearance. */
  readonly labelDims: ReadonlyMap<string, D>;
  /** The broadcast shape of all operands' `...` dims. */
  readonly ellipsisDims: readonly D[];
  /** For each input: its `...` dims (a slice of its shape). */
  readonly inputEllipsis: readonly (readonly D[])[];
  /** The output's shape. */
  readonly outputShape: readonly D[];
}

/** Prefers the more informative of two compatible dims: a number, then a symbol, then `?`. */
function moreKnown<D extends Dim>(a: D, b: D): D {
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return isUnknownDim(a) ? b : a;
}

/**
 * Matches the input shapes against the terms. `names[k]` names input k in
 * messages. Returns an error message when a rank or a letter's size
 * disagrees; `...` dims that do not broadcast throw a ShapeError at `location`.
 */
export function resolveEinsum<D extends Dim>(
  equation: EinsumEquation,
  shapes: readonly (readonly D[])[],
  names: readonly string[],
  location: ErrorLocation,
): EinsumShapes<D> | string {
  const labelDims = new Map<string, D>();
  const labelSource = new Map<string, string>();
  const inputEllipsis: D[][] = [];
  for (let k = 0; k < equation.inputs.length; k++) {
    const term = equation.inputs[k];
    const shape = shapes[k];
    const letters = term.labels.length;
    const where = `${names[k]} (term '${term.text}')`;
    if (term.ellipsisAt < 0 && shape.length !== letters) {
      return `${where} has ${letters} label${letters === 1 ? '' : 's'} but rank ${shape.length} ${formatShape(shape)}`;
    }
    if (shape.length < letters) return `${where} has ${letters} labels but only rank ${shape.length} ${formatShape(shape)}`;
    const ellipsisRank = shape.length - letters;
    const start = Math.max(0, term.ellipsisAt);
    inputEllipsis.push(term.ellipsisAt < 0 ? [] : shape.slice(start, start + ellipsisRank));
    for (let i = 0; i < letters; i++) {
      const label = term.labels[i];
      const dim = shape[term.ellipsisAt < 0 || i < start ? i : i + ellipsisRank];
      const previous = labelDims.get(label);
      if (previous === undefined) {
        labelDims.set(label, dim);
        labelSource.set(label, where);
      } else if (!dimsCompatible(previous, dim)) {
        return `label '${label}' is ${previous} in ${labelSource.get(label)} but ${dim} in ${where}`;
      } else labelDims.set(label, moreKnown(previous, dim));
    }
  }
  const ellipsisDims = broadcastShapes(inputEllipsis as Shape[], location) as D[];
  const out = equation.output;
  if (out.ellipsisAt < 0 && ellipsisDims.length > 0) {
    return `output term '${out.text}' has no '...' but the inputs' '...' dims are ${formatShape(ellipsisDims)}; add '...' to the output`;
  }
  const outputShape: D[] = [];
  out.labels.forEach((label, i) => {
    if (i === out.ellipsisAt) outputShape.push(...ellipsisDims);
    outputShape.push(labelDims.get(label) as D);
  });
  if (out.ellipsisAt === out.labels.length) outputShape.push(...ellipsisDims);
  return { labelDims, ellipsisDims, inputEllipsis, outputShape };
}
