import { describe, expect, it } from 'vitest';
import { addDims, dimsCompatible, dimsEqual, divDimsExact, evaluateDim, mulDims, normalizeDim, productOfDims, subDims } from './dim.js';

describe('symbolic dims', () => {
  it('keeps numbers numeric', () => {
    expect(addDims(2, 3)).toBe(5);
    expect(mulDims(4, 16)).toBe(64);
    expect(divDimsExact(64, 4)).toBe(16);
    expect(divDimsExact(10, 4)).toBeUndefined();
  });

  it('writes products and sums in one canonical form', () => {
    expect(mulDims('seq', 'batch')).toBe('batch*seq');
    expect(mulDims('batch', 'seq')).toBe('batch*seq');
    expect(normalizeDim('seq*batch')).toBe('batch*seq');
    expect(addDims('seq', 'past')).toBe('past+seq');
    expect(mulDims(4, 'seq')).toBe('4*seq');
    expect(addDims('seq', 2)).toBe('seq+2');
    expect(subDims('seq', 'seq')).toBe(0);
  });

  it('divides exactly or not at all', () => {
    expect(divDimsExact('batch*seq', 'batch')).toBe('seq');
    expect(divDimsExact(productOfDims(['batch', 'seq', 64]), productOfDims(['batch', 8, 8]))).toBe('seq');
    expect(divDimsExact('4*seq', 2)).toBe('2*seq');
    expect(divDimsExact('seq', 'batch')).toBeUndefined();
    expect(divDimsExact('seq', 2)).toBeUndefined();
  });

  it('compares and evaluates', () => {
    expect(dimsEqual('batch*seq', 'seq*batch')).toBe(true);
    expect(dimsEqual('?', '?')).toBe(false);
    expect(dimsCompatible(3, 4)).toBe(false);
    expect(dimsCompatible('seq', 4)).toBe(true);
    expect(evaluateDim('past+seq', new Map([['past', 12], ['seq', 6]]))).toBe(18);
    expect(evaluateDim('2*batch*seq', new Map([['batch', 3], ['seq', 7]]))).toBe(42);
    expect(evaluateDim('seq', new Map())).toBeUndefined();
  });
});
