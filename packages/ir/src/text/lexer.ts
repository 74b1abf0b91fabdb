/**
 * Tokens of the IR text form, with 1-based line and column for error messages.
 */
import { ParseError } from '../errors.js';

/** The kinds of token. */
export type TokenKind = 'value' | 'ident' | 'number' | 'string' | 'punct' | 'eof';

/** One token. `text` is the name for values and the decoded text for strings. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

const PUNCTUATION = new Set(['{', '}', '(', ')', '[', ']', ',', '=', ':', '@', '*', '+', '?', '<', '>']);

/** Splits text into tokens; throws ParseError on a character that starts no token. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  const at = (): { line: number; column: number } => ({ line, column: offset - lineStart + 1 });
  while (offset < source.length) {
    const char = source[offset];
    if (char === '\n') {
      offset++;
      line++;
      lineStart = offset;
      continue;
    }
    if (/\s/.test(char)) {
      offset++;
      continue;
    }
    if (char === '#' || source.startsWith('//', offset)) {
      while (offset < source.length && source[offset] !== '\n') offset++;
      continue;
    }
    const position = at();
    if (char === '%') {
      offset++;
      if (source[offset] === '"') {
        const { text, end } = readString(source, offset, position);
        tokens.push({ kind: 'value', text, ...position });
        offset = end;
      } else {
        const match = /^[A-Za-z0-9_.]+/.exec(source.slice(offset, offset + 256));
        if (!match) throw new ParseError(`expected a value name after '%'`, position.line, position.column);
        tokens.push({ kind: 'value', text: match[0], ...position });
        offset += match[0].length;
      }
      continue;
    }
    if (char === '"') {
      const { text, end } = readString(source, offset, position);
      tokens.push({ kind: 'string', text, ...position });
      offset = end;
      continue;
    }
    const rest = source.slice(offset, offset + 512);
    const number = /^[+-]?(inf\b|nan\b|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/.exec(rest);
    if (number && (char !== '+' && char !== '-' ? true : /[\d.in]/.test(rest[1] ?? ''))) {
      tokens.push({ kind: 'number', text: number[0], ...position });
      offset += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], ...position });
      offset += ident[0].length;
      continue;
    }
    if (char === '-') {
      tokens.push({ kind: 'punct', text: '-', ...position });
      offset++;
      continue;
    }
    if (PUNCTUATION.has(char)) {
      tokens.push({ kind: 'punct', text: char, ...position });
      offset++;
      continue;
    }
    throw new ParseError(`unexpected character ${JSON.stringify(char)}`, position.line, position.column);
  }
  tokens.push({ kind: 'eof', text: '<end of input>', ...at() });
  return tokens;
}

function readString(source: string, start: number, position: { line: number; column: number }): { text: string; end: number } {
  let end = start + 1;
  while (end < source.length && source[end] !== '"') {
    if (source[end] === '\\') end++;
    if (source[end] === '\n') break;
    end++;
  }
  if (source[end] !== '"') throw new ParseError('unterminated string', position.line, position.column);
  try {
    return { text: JSON.parse(source.slice(start, end + 1)) as string, end: end + 1 };
  } catch {
    throw new ParseError('invalid string escape', position.line, position.column);
  }
}
