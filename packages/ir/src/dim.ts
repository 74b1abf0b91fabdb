/**
 * Dimensions. A dim is a number, a named symbol (`"batch"`), an integer
 * polynomial over symbols (`"batch*seq"`, `"past+seq"`, `"4*seq"`), or `"?"`
 * (unknown). Polynomials are kept in one canonical text form so equal
 * dims compare equal as strings.
 */

/** One dimension of a shape. */
export type Dim = number | string;

/** The unknown dimension: compatible with anything, equal to nothing. */
export const UNKNOWN_DIM = '?';

/** A polynomial: monomial key ('' for the constant term, else `a*b`) -> coefficient. */
type Polynomial = Map<string, number>;

const SYMBOL = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when `name` can be used as a dimension symbol. */
export function isSymbolName(name: string): boolean {
  return SYMBOL.test(name);
}

/** True for the unknown dim `?`. */
export function isUnknownDim(dim: Dim): boolean {
  return dim === UNKNOWN_DIM;
}

function monomialKey(symbols: string[]): string {
  return [...symbols].sort().join('*');
}

function parsePolynomial(dim: Dim): Polynomial | undefined {
  if (typeof dim === 'number') return new Map([['', dim]]);
  if (dim === UNKNOWN_DIM) return undefined;
  const poly: Polynomial = new Map();
  const text = dim.replace(/\s+/g, '');
  const terms = text.match(/[+-]?[^+-]+/g);
  if (!terms || terms.join('') !== text) return undefined;
  for (const term of terms) {
    let sign = 1;
    let body = term;
    if (body.startsWith('+')) body = body.slice(1);
    else if (body.startsWith('-')) {
      sign = -1;
      body = body.slice(1);
    }
    let coeff = sign;
    const symbols: string[] = [];
    for (const factor of body.split('*')) {
      if (/^\d+$/.test(factor)) coeff *= Number(factor);
      else if (SYMBOL.test(factor)) symbols.push(factor);
      else return undefined;
    }
    addTerm(poly, monomialKey(symbols), coeff);
  }
  return poly;
}

function addTerm(poly: Polynomial, key: string, coeff: number): void {
  const next = (poly.get(key) ?? 0) + coeff;
  if (next === 0) poly.delete(key);
  else poly.set(key, next);
}

function formatPolynomial(poly: Polynomial): Dim {
  const constant = poly.get('') ?? 0;
  const symbolic = [...poly.entries()].filter(([key]) => key !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (symbolic.length === 0) return constant;
  let text = '';
  for (const [key, coeff] of symbolic) {
    const magnitude = Math.abs(coeff);
    const term = magnitude === 1 ? key : `${magnitude}*${key}`;
    if (text === '') text = coeff < 0 ? `-${term}` : term;
    else text += coeff < 0 ? `-${term}` : `+${term}`;
  }
  if (constant > 0) text += `+${constant}`;
  else if (constant < 0) text += `-${-constant}`;
  return text;
}

/** The canonical form of a dim (`"seq*batch"` becomes `"batch*seq"`). */
export function normalizeDim(dim: Dim): Dim {
  const poly = parsePolynomial(dim);
  return poly ? formatPolynomial(poly) : UNKNOWN_DIM;
}

/** True when a dim text is a valid dim (number, symbol, polynomial or `?`). */
export function isValidDim(dim: Dim): boolean {
  if (typeof dim === 'number') return Number.isInteger(dim) && dim >= 0;
  return dim === UNKNOWN_DIM || parsePolynomial(dim) !== undefined;
}

/** `a + b`. */
export function addDims(a: Dim, b: Dim): Dim {
  const pa = parsePolynomial(a);
  const pb = parsePolynomial(b);
  if (!pa || !pb) return UNKNOWN_DIM;
  for (const [key, coeff] of pb) addTerm(pa, key, coeff);
  return formatPolynomial(pa);
}

/** `a - b`. */
export function subDims(a: Dim, b: Dim): Dim {
  const pb = parsePolynomial(b);
  if (!pb) return UNKNOWN_DIM;
  for (const [key, coeff] of pb) pb.set(key, -coeff);
  return addDims(a, formatPolynomial(pb));
}

/** `a * b`. */
export function mulDims(a: Dim, b: Dim): Dim {
  const pa = parsePolynomial(a);
  const pb = parsePolynomial(b);
  if (!pa || !pb) return UNKNOWN_DIM;
  const out: Polynomial = new Map();
  for (const [ka, ca] of pa) {
    for (const [kb, cb] of pb) {
      const symbols = [...(ka ? ka.split('*') : []), ...(kb ? kb.split('*') : [])];
      addTerm(out, monomialKey(symbols), ca * cb);
    }
  }
  return formatPolynomial(out);
}

/**
 * `a / b` when it divides exactly (each term of `a` by the single-term
 * divisor `b`); `undefined` when it does not or cannot be decided.
 */
export function divDimsExact(a: Dim, b: Dim): Dim | undefined {
  const pa = parsePolynomial(a);
  const pb = parsePolynomial(b);
  if (!pa || !pb || pb.size !== 1) return undefined;
  const [[divKey, divCoeff]] = [...pb.entries()];
  if (divCoeff === 0) return undefined;
  const divSymbols = divKey ? divKey.split('*') : [];
  const out: Polynomial = new Map();
  for (const [key, coeff] of pa) {
    if (coeff % divCoeff !== 0) return undefined;
    const remaining = key ? key.split('*') : [];
    for (const symbol of divSymbols) {
      const at = remaining.indexOf(symbol);
      if (at < 0) return undefined;
      remaining.splice(at, 1);
    }
    addTerm(out, monomialKey(remaining), coeff / divCoeff);
  }
  return formatPolynomial(out);
}

/** The product of dims (1 for none). */
export function productOfDims(dims: readonly Dim[]): Dim {
  let product: Dim = 1;
  for (const dim of dims) product = mulDims(product, dim);
  return product;
}

/** True when two dims are known to be equal. */
export function dimsEqual(a: Dim, b: Dim): boolean {
  if (a === UNKNOWN_DIM || b === UNKNOWN_DIM) return false;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return normalizeDim(a) === normalizeDim(b);
}

/** True when two dims could be equal at run time (equal, or either not a number). */
export function dimsCompatible(a: Dim, b: Dim): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (a === UNKNOWN_DIM || b === UNKNOWN_DIM) return true;
  if (typeof a === 'number' || typeof b === 'number') return true;
  const difference = subDims(a, b);
  return typeof difference !== 'number' || difference === 0;
}

/** Evaluates a dim under concrete bindings for its symbols; `undefined` if a symbol is unbound. */
export function evaluateDim(dim: Dim, bindings: ReadonlyMap<string, number>): number | undefined {
  const poly = parsePolynomial(dim);
  if (!poly) return undefined;
  let total = 0;
  for (const [key, coeff] of poly) {
    let term = coeff;
    if (key) {
      for (const symbol of key.split('*')) {
        const bound = bindings.get(symbol);
        if (bound === undefined) return undefined;
        term *= bound;
      }
    }
    total += term;
  }
  return total;
}

/** The symbols a dim mentions. */
export function dimSymbols(dim: Dim): string[] {
  const poly = parsePolynomial(dim);
  if (!poly) return [];
  const symbols = new Set<string>();
  for (const key of poly.keys()) if (key) for (const symbol of key.split('*')) symbols.add(symbol);
  return [...symbols];
}
