/**
 * Reads the IR text form written by print.ts back into a verified Graph.
 * Syntax errors are ParseErrors with line:column; a well-formed but invalid
 * graph gets the verifier's typed error.
 */
import { isValidDim, normalizeDim, type Dim } from '../dim.js';
import { isDType, type DType } from '../dtype.js';
import { ParseError } from '../errors.js';
import { Graph, type AttrValue, type Node } from '../graph.js';
import type { TensorType } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { verifyGraph } from '../verify.js';
import { tokenize, type Token } from './lexer.js';
import { tensorFromLiterals } from './literals.js';

/** Parses a graph from its text form and verifies it. */
export function parseGraph(source: string): Graph {
  const parser = new Parser(tokenize(source));
  const graph = parser.graph();
  verifyGraph(graph, { refineTypes: false });
  return graph;
}

class Parser {
  private index = 0;
  private readonly result = new Graph();

  constructor(private readonly tokens: Token[]) {}

  graph(): Graph {
    this.keyword('graph');
    const name = this.peek();
    if (name.kind !== 'ident' && name.kind !== 'string') this.fail(name, 'a graph name');
    this.result.name = this.next().text;
    this.punct('{');
    while (!this.isPunct('}')) this.statement();
    this.punct('}');
    if (this.peek().kind !== 'eof') this.fail(this.peek(), 'the end of input');
    return this.result;
  }

  private statement(): void {
    const token = this.peek();
    if (token.kind === 'ident' && token.text === 'input') {
      this.next();
      const name = this.valueName();
      this.punct(':');
      this.define(name, this.type(), token);
      this.result.inputs.push(name);
    } else if (token.kind === 'ident' && token.text === 'init') {
      this.next();
      const name = this.valueName();
      this.punct(':');
      const type = this.type();
      this.punct('=');
      this.define(name, type, token);
      this.result.initializers.set(name, this.literal(type));
    } else if (token.kind === 'ident' && token.text === 'output') {
      this.next();
      this.result.outputs.push(this.valueName());
    } else {
      this.node();
    }
  }

  private node(): void {
    const start = this.peek();
    const outputs = this.list(() => this.optionalValueName(), '=');
    const opToken = this.next();
    if (opToken.kind !== 'ident') this.fail(opToken, 'an op name');
    this.punct('(');
    const inputs = this.isPunct(')') ? [] : this.list(() => this.optionalValueName(), ')');
    this.punct(')');
    const attrs = this.isPunct('{') ? this.attributes() : {};
    let name: string | undefined;
    if (this.isPunct('@')) {
      this.next();
      const nameToken = this.next();
      if (nameToken.kind !== 'string') this.fail(nameToken, 'a quoted node name');
      name = nameToken.text;
    }
    this.punct(':');
    const types = this.list(() => (this.isIdent('_') ? (this.next(), undefined) : this.type()));
    if (types.length !== outputs.length) {
      throw new ParseError(`${outputs.length} outputs but ${types.length} types`, start.line, start.column);
    }
    outputs.forEach((output, index) => {
      const type = types[index];
      if (output && !type) throw new ParseError(`output %${output} needs a type, not _`, start.line, start.column);
      if (output && type) this.define(output, type, start);
    });
    const node: Node = { op: opToken.text, inputs, outputs, attrs, ...(name !== undefined ? { name } : {}) };
    this.result.nodes.push(node);
  }

  private attributes(): Record<string, AttrValue> {
    this.punct('{');
    const attrs: Record<string, AttrValue> = {};
    if (!this.isPunct('}')) {
      for (;;) {
        const key = this.next();
        if (key.kind !== 'ident') this.fail(key, 'an attribute name');
        if (key.text in attrs) throw new ParseError(`attribute '${key.text}' given twice`, key.line, key.column);
        this.punct('=');
        attrs[key.text] = this.attributeValue();
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    this.punct('}');
    return attrs;
  }

  private attributeValue(): AttrValue {
    const token = this.peek();
    if (token.kind === 'number') return this.number();
    if (token.kind === 'string') return this.next().text;
    if (token.kind === 'ident' && isDType(token.text)) {
      const type = this.type();
      return this.literal(type);
    }
    if (this.isPunct('[')) {
      this.next();
      if (this.isPunct(']')) {
        this.next();
        return [];
      }
      if (this.peek().kind === 'string') {
        const strings = this.list(() => {
          const item = this.next();
          if (item.kind !== 'string') this.fail(item, 'a string');
          return item.text;
        }, ']');
        this.punct(']');
        return strings;
      }
      const numbers = this.list(() => this.number(), ']');
      this.punct(']');
      return numbers;
    }
    return this.fail(token, 'an attribute value (number, string, list or tensor)');
  }

  private type(): TensorType {
    const token = this.next();
    if (token.kind !== 'ident' || !isDType(token.text)) this.fail(token, 'a dtype (f32, f16, i32, i64, bool)');
    this.punct('[');
    const shape: Dim[] = [];
    if (!this.isPunct(']')) {
      for (;;) {
        shape.push(this.dim());
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    this.punct(']');
    return { dtype: token.text as DType, shape };
  }

  private dim(): Dim {
    const start = this.peek();
    let text = '';
    while (!this.isPunct(',') && !this.isPunct(']') && this.peek().kind !== 'eof') text += this.next().text;
    if (/^\d+$/.test(text)) return Number(text);
    if (!text || !isValidDim(text)) throw new ParseError(`invalid dim '${text}'`, start.line, start.column);
    return normalizeDim(text);
  }

  private literal(type: TensorType): Tensor {
    const start = this.peek();
    if (this.isPunct('<')) throw new ParseError('constant data was elided when this text was printed; it cannot be parsed', start.line, start.column);
    const shape = type.shape.map((dim) => {
      if (typeof dim !== 'number') throw new ParseError(`a constant needs a static shape, got dim '${dim}'`, start.line, start.column);
      return dim;
    });
    this.punct('[');
    const items: string[] = [];
    if (!this.isPunct(']')) {
      for (;;) {
        const item = this.next();
        if (item.kind !== 'number' && item.kind !== 'ident') this.fail(item, 'a literal value');
        items.push(item.text);
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    this.punct(']');
    const made = tensorFromLiterals(type.dtype, shape, items);
    if (typeof made === 'string') throw new ParseError(made, start.line, start.column);
    return made;
  }

  private number(): number {
    const token = this.next();
    if (token.kind !== 'number') this.fail(token, 'a number');
    if (/inf$/.test(token.text)) return token.text.startsWith('-') ? -Infinity : Infinity;
    if (token.text.endsWith('nan')) return NaN;
    return Number(token.text);
  }

  private define(name: string, type: TensorType, at: Token): void {
    if (this.result.values.has(name)) throw new ParseError(`value %${name} is defined twice`, at.line, at.column);
    this.result.values.set(name, { name, type });
  }

  private list<T>(item: () => T, terminator?: string): T[] {
    const items = [item()];
    while (this.isPunct(',')) {
      this.next();
      items.push(item());
    }
    if (terminator && !this.isPunct(terminator)) this.fail(this.peek(), `',' or '${terminator}'`);
    if (terminator === '=') this.next();
    return items;
  }

  private optionalValueName(): string {
    if (this.isIdent('_')) {
      this.next();
      return '';
    }
    return this.valueName();
  }

  private valueName(): string {
    const token = this.next();
    if (token.kind !== 'value') this.fail(token, 'a value name like %x');
    return token.text;
  }

  private keyword(word: string): void {
    const token = this.next();
    if (token.kind !== 'ident' || token.text !== word) this.fail(token, `'${word}'`);
  }

  private punct(char: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== char) this.fail(token, `'${char}'`);
  }

  private isPunct(char: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === char;
  }

  private isIdent(word: string): boolean {
    const token = this.peek();
    return token.kind === 'ident' && token.text === word;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private fail(token: Token, expected: string): never {
    throw new ParseError(`expected ${expected}, got ${token.kind === 'eof' ? 'the end of input' : `'${token.text}'`}`, token.line, token.column);
  }
}
