/**
 * Typed errors. Every error Ladon raises on bad input is a {@link LadonError}
 * with a stable `name` (the class) and `code` (a string that never changes
 * between releases), and a message that names where (node, op, tensor) and
 * what (expected against actual).
 */

/** Where an error happened: any of these that apply are filled in. */
export interface ErrorLocation {
  /** The node's name or its first output, e.g. `%7`. */
  readonly node?: string;
  /** The op type of that node, e.g. `MatMul`. */
  readonly op?: string;
  /** The tensor (value) involved, e.g. `%q` or a graph input name. */
  readonly tensor?: string;
  /** A file involved (an ONNX model, a `.pb` tensor). */
  readonly file?: string;
}

/** The stable error codes. */
export type LadonErrorCode =
  | 'E_SHAPE'
  | 'E_DTYPE'
  | 'E_UNKNOWN_OP'
  | 'E_ATTRIBUTE'
  | 'E_ARITY'
  | 'E_CYCLE'
  | 'E_UNDEFINED_VALUE'
  | 'E_DUPLICATE_VALUE'
  | 'E_GRAPH'
  | 'E_PARSE'
  | 'E_FEED'
  | 'E_EVAL'
  | 'E_UNSUPPORTED'
  | 'E_IMPORT'
  | 'E_IO'
  | 'E_COMPILE'
  | 'E_BACKEND'
  | 'E_DEVICE'
  | 'E_LIMIT'
  | 'E_PROGRAM'
  | 'E_THREAD'
  | 'E_RUNTIME_VALUE'
  | 'E_INTERNAL';

/** Base class of every error Ladon throws on purpose. */
export class LadonError extends Error {
  /** The stable machine-readable code. */
  readonly code: LadonErrorCode;
  /** Where the error happened. */
  readonly location: ErrorLocation;

  constructor(code: LadonErrorCode, message: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(withLocation(message, location), options);
    this.code = code;
    this.location = location;
  }

  override get name(): string {
    return 'LadonError';
  }
}

function withLocation(message: string, location: ErrorLocation): string {
  const where: string[] = [];
  if (location.file) where.push(location.file);
  if (location.op && location.node) where.push(`${location.op} ${location.node}`);
  else if (location.node) where.push(location.node);
  else if (location.op) where.push(location.op);
  if (where.length === 0) return message;
  const prefix = where.join(': ');
  return message.startsWith(prefix) ? message : `${prefix}: ${message}`;
}

/** A shape that contradicts what an op or a graph input expects. */
export class ShapeError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_SHAPE', message, location);
  }
  override get name(): string {
    return 'ShapeError';
  }
}

/** A dtype that an op does not accept, or that contradicts a declaration. */
export class DTypeError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_DTYPE', message, location);
  }
  override get name(): string {
    return 'DTypeError';
  }
}

/** One op outside the op set as a model uses it: how many nodes, and the first of them. */
export interface UnknownOpUse {
  /** The op type, e.g. `Conv`. */
  readonly op: string;
  /** How many nodes of the model use it. */
  readonly count: number;
  /** The first of those nodes, labelled like {@link ErrorLocation.node}. */
  readonly firstNode: string;
}

function describeUnknownOps(op: string, uses: readonly UnknownOpUse[]): string {
  if (uses.length === 0 || (uses.length === 1 && uses[0].count === 1)) return `unknown op '${op}'`;
  const listed = uses.map((use) => `'${use.op}' (${use.count} node${use.count === 1 ? '' : 's'}, first ${use.firstNode})`);
  return `${uses.length} unknown op${uses.length === 1 ? '' : 's'}: ${listed.join(', ')}`;
}

/**
 * An op name that is not in the op set. An importer that checks a whole
 * model lists every such op in `unknownOps` (the location names the first).
 */
export class UnknownOpError extends LadonError {
  /** Every op outside the op set the model uses, in order of first use (empty when only `op` was looked up). */
  readonly unknownOps: readonly UnknownOpUse[];

  constructor(op: string, location: ErrorLocation = {}, unknownOps: readonly UnknownOpUse[] = []) {
    super('E_UNKNOWN_OP', describeUnknownOps(op, unknownOps), { ...location, op });
    this.unknownOps = unknownOps;
  }
  override get name(): string {
    return 'UnknownOpError';
  }
}

/** A missing, unknown or out-of-range attribute. */
export class AttributeError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_ATTRIBUTE', message, location);
  }
  override get name(): string {
    return 'AttributeError';
  }
}

/** The wrong number of inputs or outputs for an op. */
export class ArityError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_ARITY', message, location);
  }
  override get name(): string {
    return 'ArityError';
  }
}

/** A graph whose nodes depend on each other in a cycle. */
export class CycleError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_CYCLE', message, location);
  }
  override get name(): string {
    return 'CycleError';
  }
}

/** A node input or graph output that refers to a value nobody defines. */
export class UndefinedValueError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_UNDEFINED_VALUE', message, location);
  }
  override get name(): string {
    return 'UndefinedValueError';
  }
}

/** A value defined twice (the graph is SSA: one definition per value). */
export class DuplicateValueError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_DUPLICATE_VALUE', message, location);
  }
  override get name(): string {
    return 'DuplicateValueError';
  }
}

/** Any other structural problem with a graph. */
export class GraphError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_GRAPH', message, location);
  }
  override get name(): string {
    return 'GraphError';
  }
}

/** Text that the IR parser cannot read; the message gives line and column. */
export class ParseError extends LadonError {
  /** 1-based line of the problem. */
  readonly line: number;
  /** 1-based column of the problem. */
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super('E_PARSE', `${line}:${column}: ${message}`);
    this.line = line;
    this.column = column;
  }
  override get name(): string {
    return 'ParseError';
  }
}

/** A feed (run-time input) of the wrong dtype or shape, or a missing one. */
export class FeedError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_FEED', message, location);
  }
  override get name(): string {
    return 'FeedError';
  }
}

/** A failure while evaluating a node on concrete values. */
export class EvalError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_EVAL', message, location);
  }
  override get name(): string {
    return 'EvalError';
  }
}

/** A valid request that this version of Ladon does not implement. */
export class UnsupportedError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_UNSUPPORTED', message, location);
  }
  override get name(): string {
    return 'UnsupportedError';
  }
}

/**
 * A loaded program (a `.ladon` file or a Program object) that is not
 * consistent with itself: a step that calls a kernel the payload lacks, or
 * with arguments that do not match the kernel's parameters. Raised when the
 * program is loaded, before anything runs.
 */
export class ProgramFormatError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_PROGRAM', message, location);
  }
  override get name(): string {
    return 'ProgramFormatError';
  }
}

/**
 * A value the compiler needs at compile time (it decides a kernel's
 * structure: which axes a Slice or a reduction walks, a Pad's offsets)
 * arrives at run time, from the graph inputs named in `inputs`. A session
 * created from a graph or an ONNX model (which can compile) specialises the
 * program on those inputs' values when the feeds arrive; a precompiled
 * program cannot, so compiling one ahead of time fails with this error.
 */
export class RuntimeValueError extends LadonError {
  /** The graph inputs whose values would make the program compile. */
  readonly inputs: readonly string[];

  constructor(message: string, inputs: readonly string[], location: ErrorLocation = {}) {
    super('E_RUNTIME_VALUE', message, location);
    this.inputs = [...inputs];
  }
  override get name(): string {
    return 'RuntimeValueError';
  }
}
