/** The export error: a graph that cannot be written as an ONNX model. */
import { LadonError, type ErrorLocation } from '@ladon/ir';

/**
 * A graph Ladon cannot write as an ONNX model: a Ladon-only op (Linear,
 * FusedMatMul), an op newer than the requested opset, an opset outside the
 * range the writer supports, or an attribute that does not fit its schema.
 * `location` names the node and op when one is at fault.
 */
export class OnnxExportError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_UNSUPPORTED', message, location);
  }

  override get name(): string {
    return 'OnnxExportError';
  }
}
