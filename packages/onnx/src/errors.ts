/**
 * The import error, and the helper that gives an IR error found while
 * importing a file the file's name.
 */
import { LadonError, UnknownOpError, type ErrorLocation } from '@ladon/ir';

/**
 * A model or tensor file that Ladon cannot import: bad protobuf, an
 * unsupported IR version, opset, domain or dtype, a shape that contradicts
 * its data, a test-data file that matches no graph input. `location.file`
 * names the file when it is known.
 */
export class OnnxImportError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super('E_IMPORT', message, location, options);
  }

  override get name(): string {
    return 'OnnxImportError';
  }
}

/** The prefix LadonError puts before a message for a location without a file. */
function locationPrefix(location: ErrorLocation): string {
  if (location.op && location.node) return `${location.op} ${location.node}: `;
  if (location.node) return `${location.node}: `;
  if (location.op) return `${location.op}: `;
  return '';
}

/** The message of a LadonError without its location prefix. */
function bareMessage(error: LadonError): string {
  const prefix = locationPrefix(error.location);
  return prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/**
 * Re-throws `error` so that it names `file`: unknown ops stay
 * UnknownOpErrors (with the file added), other IR errors become
 * OnnxImportErrors keeping node/op/tensor and the original as `cause`, and
 * anything else (e.g. a protobuf decoder RangeError) becomes an
 * OnnxImportError described by `what`.
 */
export function inFile(error: unknown, file: string | undefined, what = 'cannot import'): LadonError {
  if (error instanceof LadonError) {
    if (file === undefined || error.location.file !== undefined) return error;
    const location = { ...error.location, file };
    if (error instanceof UnknownOpError) return new UnknownOpError(error.location.op ?? '?', location, error.unknownOps);
    return new OnnxImportError(bareMessage(error), location, { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new OnnxImportError(`${what}: ${detail}`, file === undefined ? {} : { file }, { cause: error });
}
