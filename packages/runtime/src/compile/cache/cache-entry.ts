/**
 * The format of one persistent cache entry — the one place that decides what
 * is stored and what is trusted back (a validated, hashed `.ladon` format can
 * replace the checks here): an 8-byte magic `LADONCE1`, the SHA-256 of the
 * payload (32 bytes), the payload's length (u32, little-endian), then the
 * payload: the serialised Program. Reading checks all of it and then
 * deserialises (which checks the program's own structure); anything wrong
 * is a {@link CorruptCacheEntry}, never a program that runs.
 */
import { deserializeProgram, serializeProgram, type Program } from '@ladon/ir';

const MAGIC = 'LADONCE1';

/** SHA-256 of bytes (Web Crypto, in Node and browsers). */
async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}
const HEADER = 8 + 32 + 4;

/** A cache entry that cannot be trusted; `reason` says why in a few words. */
export class CorruptCacheEntry extends Error {
  constructor(readonly reason: string) {
    super(`corrupt compile cache entry: ${reason}`);
  }
}

/** The bytes to store for `program`. */
export async function encodeEntry(program: Program): Promise<Uint8Array> {
  const payload = serializeProgram(program);
  const digest = await sha256(payload);
  const entry = new Uint8Array(HEADER + payload.length);
  entry.set(new TextEncoder().encode(MAGIC), 0);
  entry.set(digest, 8);
  new DataView(entry.buffer).setUint32(40, payload.length, true);
  entry.set(payload, HEADER);
  return entry;
}

/** The program stored in `entry`; throws {@link CorruptCacheEntry} when anything does not check out. */
export async function decodeEntry(entry: Uint8Array): Promise<Program> {
  if (entry.length < HEADER || new TextDecoder().decode(entry.subarray(0, 8)) !== MAGIC) throw new CorruptCacheEntry('no LADONCE1 header');
  const length = new DataView(entry.buffer, entry.byteOffset, entry.byteLength).getUint32(40, true);
  if (entry.length !== HEADER + length) throw new CorruptCacheEntry(`${entry.length - HEADER} payload bytes, the header says ${length}`);
  const payload = entry.subarray(HEADER);
  const digest = await sha256(payload);
  if (!digest.every((byte, index) => byte === entry[8 + index])) throw new CorruptCacheEntry('checksum mismatch');
  try {
    return deserializeProgram(payload);
  } catch (error) {
    throw new CorruptCacheEntry((error as Error).message);
  }
}
