/**
 * Model-level compatibility: IR versions, opset imports and node domains.
 * Ladon reads IR versions 3-13 and the default ONNX domain (`''` or
 * `ai.onnx`); a node in any other domain is refused. Which op versions a
 * default opset means and which of them Ladon reads is opset-policy.ts
 * (opsets 7-25 fully).
 */
import { OnnxImportError } from './errors.js';
import { int64ToNumber } from './int64.js';
import type { ModelMessage, NodeMessage } from './proto-messages.js';

/** The IR versions (ModelProto.ir_version) Ladon reads: 3 (opset 7's) to 13 (opsets 25-28). */
export const SUPPORTED_IR_VERSIONS = { min: 3, max: 13 } as const;

/** One opset import of a model. */
export interface OpsetImport {
  /** The domain as written in the model (`''` is the default ONNX domain). */
  readonly domain: string;
  /** The opset version. */
  readonly version: number;
}

/** True for the default ONNX operator domain. */
export function isDefaultDomain(domain: string): boolean {
  return domain === '' || domain === 'ai.onnx';
}

/** The model's IR version, or an error when Ladon does not read it. */
export function checkIrVersion(model: ModelMessage, file: string | undefined): number {
  const version = int64ToNumber(model.ir_version);
  if (version < SUPPORTED_IR_VERSIONS.min || version > SUPPORTED_IR_VERSIONS.max) {
    throw new OnnxImportError(
      `ONNX IR version ${version} is not supported (Ladon reads IR versions ${SUPPORTED_IR_VERSIONS.min}-${SUPPORTED_IR_VERSIONS.max})`,
      file ? { file } : {},
    );
  }
  return version;
}

/** The opset imports, and the default-domain version (the highest one imported). */
export function readOpsetImports(model: ModelMessage): { imports: OpsetImport[]; defaultVersion: number | undefined } {
  const imports = model.opset_import.map((entry) => ({ domain: entry.domain, version: int64ToNumber(entry.version) }));
  const defaults = imports.filter((entry) => isDefaultDomain(entry.domain)).map((entry) => entry.version);
  return { imports, defaultVersion: defaults.length > 0 ? Math.max(...defaults) : undefined };
}

/**
 * Checks that every node is in the default domain and that the model
 * imports a default opset; returns that opset version (whether Ladon reads
 * each node's op at it is checked per node, opset-policy.ts).
 */
export function checkOpsets(nodes: readonly NodeMessage[], model: ModelMessage, file: string | undefined): number {
  const location = file ? { file } : {};
  const foreign = nodes.find((node) => !isDefaultDomain(node.domain));
  if (foreign) {
    throw new OnnxImportError(
      `node '${foreign.name || foreign.output[0] || '?'}' (${foreign.op_type}) is in operator domain '${foreign.domain}'; Ladon supports only the default ONNX domain ('' / 'ai.onnx')`,
      location,
    );
  }
  const { imports, defaultVersion } = readOpsetImports(model);
  if (defaultVersion === undefined) {
    const listed = imports.map((entry) => `'${entry.domain}' ${entry.version}`).join(', ') || 'none';
    throw new OnnxImportError(`the model imports no default ONNX opset (opset imports: ${listed})`, location);
  }
  if (defaultVersion < 1) throw new OnnxImportError(`the default ONNX opset must be at least 1, got ${defaultVersion}`, location);
  return defaultVersion;
}
