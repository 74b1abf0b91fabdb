import { GraphBuilder, serializeProgram, tensor } from '@ladon/ir';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Session } from '../../session.js';
import { fillProgram } from '../../wasm/threads/test-kernels.js';
import { CorruptCacheEntry, decodeEntry, encodeEntry } from './cache-entry.js';
import { clearMemoryCache, compileCached } from './cached-compile.js';
import { defaultCacheDirectory } from './directory-store.js';

function graph(scale: number) {
  const builder = new GraphBuilder('scaled');
  const x = builder.input('x', 'f32', ['n']);
  builder.output(builder.op('Mul', [x, builder.constant(tensor('f32', [1], [scale]), 's')]), 'y');
  return builder.build();
}

/** A compiler double: counts compilations, returns a hand-made wasm program (the runtime has no compiler). */
function countingCompiler() {
  const compiler = {
    COMPILER_VERSION: 'test+1',
    calls: 0,
    compileProgram() {
      compiler.calls++;
      return Promise.resolve(fillProgram(8, 3));
    },
  };
  return compiler;
}

describe('cache entries', () => {
  it('round-trip a program and reject any flipped, cut or foreign byte', async () => {
    const entry = await encodeEntry(fillProgram(4, 1));
    expect(serializeProgram(await decodeEntry(entry))).toEqual(serializeProgram(fillProgram(4, 1)));
    for (const index of [0, 9, 43, 60, entry.length - 1]) {
      const bad = entry.slice();
      bad[index] ^= 0x40;
      await expect(decodeEntry(bad)).rejects.toBeInstanceOf(CorruptCacheEntry);
    }
    await expect(decodeEntry(entry.subarray(0, entry.length - 3))).rejects.toThrow(/payload bytes/);
    await expect(decodeEntry(new Uint8Array(10))).rejects.toThrow(/header/);
  });
});

describe('the compile cache', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ladon-cache-'));
    clearMemoryCache();
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('defaults to LADON_CACHE_DIR, else XDG_CACHE_HOME/ladon, else ~/.cache/ladon', () => {
    expect(defaultCacheDirectory({ LADON_CACHE_DIR: '/a', XDG_CACHE_HOME: '/b' }, '/home/u')).toBe('/a');
    expect(defaultCacheDirectory({ XDG_CACHE_HOME: '/b' }, '/home/u')).toBe('/b/ladon');
    expect(defaultCacheDirectory({}, '/home/u')).toBe('/home/u/.cache/ladon');
  });

  it('compiles once, then serves memory, then the directory after memory is gone', async () => {
    const compiler = countingCompiler();
    const options = { backend: 'wasm' as const, numThreads: 1, compiler, cacheDirectory: directory };
    const origins: string[] = [];
    for (let round = 0; round < 3; round++) {
      if (round === 2) clearMemoryCache();
      const session = await Session.create(graph(2), options);
      origins.push(session.programOrigin);
      expect(Array.from((await session.run({})).y.data as Int32Array)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
      session.dispose();
    }
    expect(origins).toEqual(['compiled', 'memory-cache', 'persistent-cache']);
    expect(compiler.calls).toBe(1);
    expect(readdirSync(directory).filter((name) => name.endsWith('.ladon-cache'))).toHaveLength(1);
  });

  it('keys by graph (weights included) and compiler version; memory mode writes nothing; false always compiles', async () => {
    const compiler = countingCompiler();
    const job = (scale: number, version: string) => ({ graph: graph(scale), target: 'wasm' as const, compilerVersion: version, compile: () => compiler.compileProgram() });
    await compileCached(job(2, 'v1'), { cacheDirectory: directory });
    await compileCached(job(3, 'v1'), { cacheDirectory: directory });
    await compileCached(job(2, 'v2'), { cacheDirectory: directory });
    await compileCached(job(2, 'v1'), { cacheDirectory: directory });
    expect(compiler.calls).toBe(3);
    clearMemoryCache();
    const memoryDirectory = join(directory, 'memory-only');
    await compileCached(job(4, 'v1'), { cache: 'memory', cacheDirectory: memoryDirectory });
    expect(() => readdirSync(memoryDirectory)).toThrow();
    await compileCached(job(4, 'v1'), { cache: false });
    await compileCached(job(4, 'v1'), { cache: false });
    expect(compiler.calls).toBe(6);
  });

  it('drops an entry corrupted on disk with a one-line notice, compiles again and stores a good one', async () => {
    const compiler = countingCompiler();
    const options = { backend: 'wasm' as const, numThreads: 1, compiler, cacheDirectory: directory };
    (await Session.create(graph(2), options)).dispose();
    const [name] = readdirSync(directory);
    const file = join(directory, name);
    const bytes = readFileSync(file);
    bytes[bytes.length - 20] ^= 0xff;
    writeFileSync(file, bytes);
    clearMemoryCache();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const session = await Session.create(graph(2), options);
      expect(session.programOrigin).toBe('compiled');
      expect(Array.from((await session.run({})).y.data as Int32Array)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
      session.dispose();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/^ladon: dropped a corrupt compile cache entry in .* \(checksum mismatch\); compiling again$/);
    } finally {
      warn.mockRestore();
    }
    expect(compiler.calls).toBe(2);
    clearMemoryCache();
    expect((await Session.create(graph(2), options)).programOrigin).toBe('persistent-cache');
  });
});
