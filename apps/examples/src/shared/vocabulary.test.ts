import { describe, expect, it } from 'vitest';
import { decodeIds, encodeText, parseVocabulary } from './vocabulary.js';

const vocabulary = parseVocabulary({ symbols: ['A', 'B', 'C', '!', '|'], bos_id: 4 });

describe('vocabulary', () => {
  it('encodes typed text as ids with BOS in front, upper-casing letters and skipping spaces', () => {
    expect(encodeText('ab c!', vocabulary, 64)).toEqual({ ids: [4, 0, 1, 2, 3], unknown: [], dropped: 0, upperCased: 3 });
    expect(encodeText('ABC', vocabulary, 64).upperCased).toBe(0);
  });

  it('reports characters outside the vocabulary and symbols past the length limit', () => {
    expect(encodeText('A?BCA', vocabulary, 3)).toEqual({ ids: [4, 0, 1], unknown: ['?'], dropped: 2, upperCased: 0 });
    expect(encodeText('a?é', vocabulary, 3)).toEqual({ ids: [4, 0], unknown: ['?', 'é'], dropped: 0, upperCased: 1 });
  });

  it('decodes ids to symbols', () => {
    expect(decodeIds([4, 2, 1, 0], vocabulary)).toBe('|CBA');
  });

  it('rejects a malformed vocab.json', () => {
    expect(() => parseVocabulary({ symbols: 'ABC' })).toThrow(/vocab.json/);
  });
});
