/**
 * Which ONNX op versions Ladon reads. A model's default-domain opset V
 * means, for each op, the op's newest version at or below V (its
 * since_version, op-versions.ts). Ladon reads opsets 7-25 fully: every
 * version in effect there is read, older forms rewritten on import
 * (legacy-forms.ts). A model older than opset 7 is read where its ops have
 * not changed since (Not-1 is today's Not); a newer one where its ops have
 * not changed since opset 25, or changed only by widening their types
 * (Range-27). Anything else — an opset beyond what the table knows, an op
 * version from before opset 7 or after 25 whose meaning changed — is an
 * OnnxImportError naming the node, the op and the version. Ops outside
 * Ladon's op set are left to the unknown-op report.
 */
import { hasOp, type ErrorLocation } from '@ladon/ir';
import { OnnxImportError } from './errors.js';
import { KNOWN_OPSET, ONNX_OP_VERSIONS } from './op-versions.js';

/** The default-domain opsets whose every op version Ladon reads. */
export const FULL_OPSETS = { min: 7, max: 25 } as const;

/** Op versions after opset 25 that only widened the op's types: read as the version before. */
const TYPE_WIDENINGS: Readonly<Record<string, readonly number[]>> = { Range: [27] };

/** The version of `op` a model at `opset` means (its newest since_version <= opset), or undefined when the op did not exist yet or ONNX has no such op. */
export function opVersionAt(op: string, opset: number): number | undefined {
  const versions = ONNX_OP_VERSIONS[op];
  if (!versions) return undefined;
  let found: number | undefined;
  for (const version of versions) if (version <= opset) found = version;
  return found;
}

function refuse(message: string, location: ErrorLocation): never {
  throw new OnnxImportError(message, location);
}

/**
 * Checks that Ladon reads the version of `op` a model at `opset` means;
 * returns that version (undefined for ops outside the table or outside
 * Ladon's op set, which other checks report).
 */
export function checkOpVersion(op: string, opset: number, location: ErrorLocation): number | undefined {
  if (!hasOp(op) || !ONNX_OP_VERSIONS[op]) return undefined;
  if (opset > KNOWN_OPSET) {
    refuse(`opset ${opset} is newer than Ladon knows (ONNX opsets up to ${KNOWN_OPSET}), so it cannot tell which version of ${op} the model means`, location);
  }
  const version = opVersionAt(op, opset);
  if (version === undefined) refuse(`${op} does not exist at opset ${opset} (it first appears at opset ${ONNX_OP_VERSIONS[op][0]})`, location);
  const oldest = opVersionAt(op, FULL_OPSETS.min);
  if (opset < FULL_OPSETS.min && oldest !== undefined && version < oldest) {
    refuse(`${op}-${version} (opset ${opset}) is older than Ladon reads: ${op} is read from version ${oldest} (opset ${FULL_OPSETS.min} on)`, location);
  }
  const newest = opVersionAt(op, FULL_OPSETS.max);
  if (version > FULL_OPSETS.max && !(TYPE_WIDENINGS[op] ?? []).includes(version)) {
    refuse(`${op}-${version} (opset ${opset}) is newer than Ladon reads: ${op} is read up to version ${newest ?? 'none'} (opsets ${FULL_OPSETS.min}-${FULL_OPSETS.max}, and later ones where ${op} did not change)`, location);
  }
  return version;
}
