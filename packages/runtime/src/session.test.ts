import { GraphBuilder, serializeProgram, tensor } from '@ladon/ir';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from './progress.js';
import { Session } from './session.js';
import { fillProgram } from './wasm/threads/test-kernels.js';

const program = serializeProgram(fillProgram(16, 5));
const expected = Array.from({ length: 16 }, (_, index) => 5 + index);

function addGraph() {
  const builder = new GraphBuilder('add');
  const x = builder.input('x', 'f32', ['batch', 3]);
  const y = builder.input('y', 'f32', [1, 3]);
  builder.output(builder.op('Add', [x, y]), 'z');
  return builder.build();
}

describe('Session sources and metadata', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/fill.ladon') response.writeHead(200, { 'content-length': String(program.length) }).end(program);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loads a program from a URL string, a URL, a Request, an ArrayBuffer and a file: URL, reporting fetch and instantiate', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ladon-session-'));
    try {
      writeFileSync(join(directory, 'fill.ladon'), program);
      const buffer = program.slice().buffer;
      const sources = [`${base}/fill.ladon`, new URL(`${base}/fill.ladon`), new Request(`${base}/fill.ladon`), buffer, pathToFileURL(join(directory, 'fill.ladon'))];
      for (const source of sources) {
        const events: ProgressEvent[] = [];
        const session = await Session.create(source, { numThreads: 1, onProgress: (event) => events.push(event) });
        expect(Array.from((await session.run({})).y.data as Int32Array)).toEqual(expected);
        session.dispose();
        const phases = [...new Set(events.map((event) => event.phase))];
        expect(phases).toEqual(source instanceof ArrayBuffer ? ['instantiate'] : ['fetch', 'instantiate']);
        const fetched = events.filter((event) => event.phase === 'fetch').at(-1);
        if (fetched) expect(fetched).toEqual({ phase: 'fetch', loaded: program.length, total: program.length });
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('rejects a URL that answers 404 with a typed error naming it', async () => {
    await expect(Session.create(`${base}/missing.ladon`)).rejects.toThrow(/missing\.ladon.*HTTP 404/);
  });

  it('names inputs and outputs with dtypes and symbolic dims', async () => {
    const session = await Session.create(addGraph(), { backend: 'reference' });
    expect(session.inputNames).toEqual(['x', 'y']);
    expect(session.outputNames).toEqual(['z']);
    expect(session.inputMetadata).toEqual([
      { name: 'x', dtype: 'f32', shape: ['batch', 3] },
      { name: 'y', dtype: 'f32', shape: [1, 3] },
    ]);
    expect(session.outputMetadata).toEqual([{ name: 'z', dtype: 'f32', shape: ['batch', 3] }]);
    const { z } = await session.run({ x: tensor('f32', [2, 3], [1, 2, 3, 4, 5, 6]), y: tensor('f32', [1, 3], [10, 20, 30]) });
    expect(Array.from(z.data as Float32Array)).toEqual([11, 22, 33, 14, 25, 36]);
    const wasm = await Session.create(program, { numThreads: 1 });
    expect(wasm.outputMetadata).toEqual([{ name: 'y', dtype: 'i32', shape: [16] }]);
    wasm.dispose();
  });

  it('compiles a graph with the compiler handed in, as a module or a loader, and reports compile', async () => {
    const calls: string[] = [];
    const compiler = { compileProgram: (_graph: unknown, options: { target: string }) => (calls.push(options.target), Promise.resolve(fillProgram(16, 5))) };
    const events: string[] = [];
    for (const source of [compiler, () => Promise.resolve(compiler)]) {
      const session = await Session.create(addGraph(), { backend: 'wasm', numThreads: 1, cache: false, compiler: source, onProgress: (event) => events.push(`${event.phase} ${event.loaded}/${event.total}`) });
      expect(Array.from((await session.run({})).y.data as Int32Array)).toEqual(expected);
      session.dispose();
    }
    expect(calls).toEqual(['wasm', 'wasm']);
    expect(events.slice(0, 4)).toEqual(['compile 0/0', 'compile 1/1', 'instantiate 0/1', 'instantiate 1/1']);
  });

  it('profiles a wasm run step by step, and says other backends cannot', async () => {
    const session = await Session.create(program, { numThreads: 1 });
    const { outputs, profile } = await session.run({}, { profile: true });
    expect(Array.from(outputs.y.data as Int32Array)).toEqual(expected);
    expect(profile).toHaveLength(1);
    expect(profile[0]).toMatchObject({ step: 0, op: 'Fill', node: '%y', kernel: 'fill' });
    expect(profile[0].ms).toBeGreaterThanOrEqual(0);
    session.dispose();
    const reference = await Session.create(addGraph(), { backend: 'reference' });
    await expect(reference.run({ x: tensor('f32', [1, 3], [1, 2, 3]), y: tensor('f32', [1, 3], [1, 1, 1]) }, { profile: true })).rejects.toThrow(/wasm backend; this session runs on reference/);
  });
});
