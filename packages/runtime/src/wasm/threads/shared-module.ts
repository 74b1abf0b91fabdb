/**
 * A program's wasm module imports `env.memory` with a fixed maximum. To run
 * it on several threads, that memory must be shared: this marks the memory
 * import shared in the module's bytes (one bit of its limits flag, so no
 * size changes), leaving the kernels untouched. Shared memory needs no new
 * instructions: the threads synchronise in JavaScript (control-block.ts).
 * The bytes come from a loaded program, so they are read defensively; the
 * engine validates the result when it compiles it.
 */
import { BackendError } from '../../errors.js';

const IMPORT_SECTION = 2;
const MEMORY_KIND = 2;
const HAS_MAXIMUM = 0x01;
const SHARED = 0x02;

class Reader {
  offset: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
  ) {
    this.offset = start;
  }

  byte(): number {
    if (this.offset >= this.bytes.length) throw new BackendError('the wasm module ended inside its import section');
    return this.bytes[this.offset++];
  }

  /** An unsigned LEB128 number (at most 32 bits). */
  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new BackendError('the wasm module has a malformed number in its import section');
  }

  skip(count: number): void {
    this.offset += count;
  }
}

/** Skips an import's descriptor (everything after its kind byte) unless it is the memory, whose limits flag offset is returned. */
function memoryFlagOffset(reader: Reader, kind: number): number | undefined {
  switch (kind) {
    case 0: // function: type index
      reader.u32();
      return undefined;
    case 1: {
      // table: reference type, then limits
      reader.byte();
      const flags = reader.byte();
      reader.u32();
      if (flags & HAS_MAXIMUM) reader.u32();
      return undefined;
    }
    case MEMORY_KIND:
      return reader.offset;
    case 3: // global: value type, mutability
      reader.skip(2);
      return undefined;
    case 4: // tag: attribute, type index
      reader.byte();
      reader.u32();
      return undefined;
    default:
      throw new BackendError(`the wasm module has an import of unknown kind ${kind}`);
  }
}

/** The byte offset of the memory import's limits flag, or undefined when the module imports no memory. */
function findMemoryImportFlag(bytes: Uint8Array): number | undefined {
  const reader = new Reader(bytes, 8);
  while (reader.offset < bytes.length) {
    const id = reader.byte();
    const size = reader.u32();
    const end = reader.offset + size;
    if (id !== IMPORT_SECTION) {
      reader.offset = end;
      continue;
    }
    const count = reader.u32();
    for (let index = 0; index < count; index++) {
      for (let name = 0; name < 2; name++) reader.skip(reader.u32());
      const offset = memoryFlagOffset(reader, reader.byte());
      if (offset !== undefined) return offset;
    }
    return undefined;
  }
  return undefined;
}

/** A copy of the module bytes whose memory import is shared (it must have a maximum, as every program's does). */
export function withSharedMemoryImport(bytes: Uint8Array): Uint8Array {
  const offset = findMemoryImportFlag(bytes);
  if (offset === undefined) throw new BackendError('the wasm module imports no memory, so it cannot share one with workers');
  const flags = bytes[offset];
  if (!(flags & HAS_MAXIMUM)) throw new BackendError('the wasm module imports a memory without a maximum, which cannot be shared');
  const patched = bytes.slice();
  patched[offset] = flags | SHARED;
  return patched;
}
