/**
 * The induction-2l vocabulary: token id ↔ printable symbol (`vocab.json`).
 * Ids 0..47 are task symbols; the BOS id (48) is shown as `|` and always
 * starts a sequence. Browser-safe: no Node imports.
 */

/** A token vocabulary as stored in `vocab.json`. */
export interface Vocabulary {
  /** `symbols[id]` is the printable form of token `id`. */
  readonly symbols: readonly string[];
  /** The id every sequence starts with. */
  readonly bosId: number;
}

/** The result of reading typed text as tokens. */
export interface EncodedText {
  /** Token ids, BOS first. */
  readonly ids: number[];
  /** Characters that are not symbols of the vocabulary (skipped). */
  readonly unknown: string[];
  /** How many symbols past `maxTokens` were left out. */
  readonly dropped: number;
  /** How many characters were read as their upper-case symbol (`a` as `A`). */
  readonly upperCased: number;
}

/** Parses the JSON of `vocab.json` (`{ symbols, bos_id }`). */
export function parseVocabulary(json: unknown): Vocabulary {
  const record = json as { symbols?: unknown; bos_id?: unknown };
  if (!Array.isArray(record.symbols) || typeof record.bos_id !== 'number') {
    throw new Error('vocab.json: expected { "symbols": string[], "bos_id": number }');
  }
  return { symbols: record.symbols.map(String), bosId: record.bos_id };
}

/**
 * Reads `text` as task symbols (a character that is not a symbol is read
 * as its upper-case form when that is one, and counted in `upperCased`;
 * spaces and BOS marks are ignored) and puts BOS in front. At most `maxTokens` ids
 * including BOS are kept.
 */
export function encodeText(text: string, vocabulary: Vocabulary, maxTokens: number): EncodedText {
  const idOf = new Map(vocabulary.symbols.map((symbol, id) => [symbol, id]));
  const bosSymbol = vocabulary.symbols[vocabulary.bosId];
  const ids = [vocabulary.bosId];
  const unknown: string[] = [];
  let dropped = 0;
  let upperCased = 0;
  for (const typed of text) {
    const character = idOf.has(typed) ? typed : typed.toUpperCase();
    if (character.trim() === '' || character === bosSymbol) continue;
    const id = idOf.get(character);
    if (id === undefined) {
      unknown.push(typed);
      continue;
    }
    if (character !== typed) upperCased++;
    if (ids.length < maxTokens) ids.push(id);
    else dropped++;
  }
  return { ids, unknown, dropped, upperCased };
}

/** The printable symbols of `ids`, one character per token. */
export function decodeIds(ids: readonly number[], vocabulary: Vocabulary): string {
  return ids.map((id) => vocabulary.symbols[id] ?? '?').join('');
}
