/**
 * The wasm session's threads, on a hand-made program (one split step that
 * fills an i32 buffer; see threads/test-kernels.ts): the parts land in the
 * one shared memory; a worker that dies during a run makes `run` fail with
 * a ThreadError and the next run works on fresh workers; concurrent runs
 * are queued; 200 create/run/dispose cycles leave no worker behind and
 * memory flat; a Node process exits by itself after disposing its session.
 * (Compiled programs on several threads: tests/backends/test/wasm/threads.test.ts.)
 */
import { serializeProgram, type Program } from '@ladon/ir';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { ThreadError } from '../errors.js';
import { fillProgram } from './threads/test-kernels.js';
import { tracker } from './threads/worker-tracker.js';
import { WasmSession } from './wasm-session.js';

vi.mock('./threads/worker-seam.js', async (importOriginal) => (await import('./threads/worker-tracker.js')).trackedSeam(await importOriginal()));

/** A full garbage collection (V8's gc, reached without a command-line flag), so RSS is compared after garbage is gone. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const COUNT = 1 << 16;
const expected = (value: number): number[] => Array.from({ length: COUNT }, (_, i) => value + i);

async function filled(program: Program, numThreads: number): Promise<{ values: number[]; threads: number }> {
  const session = await WasmSession.create(program, { numThreads });
  try {
    return { values: Array.from((await session.run({})).y.data as Int32Array), threads: session.threads };
  } finally {
    session.dispose();
  }
}

describe('wasm session on several threads (hand-made program)', () => {
  it('runs the split step in parts (workers started) into the shared memory', async () => {
    const program = fillProgram(COUNT, 7);
    const before = tracker.started.length;
    expect(await filled(program, 1)).toEqual({ values: expected(7), threads: 1 });
    expect(tracker.started.length).toBe(before);
    expect(await filled(program, 3)).toEqual({ values: expected(7), threads: 3 });
    expect(tracker.started.length - before).toBe(2);
  });

  it('a worker killed during a run fails it with a ThreadError, and the next run works on fresh workers', async () => {
    const session = await WasmSession.create(fillProgram(COUNT, 3), { numThreads: 2 });
    expect(Array.from((await session.run({})).y.data as Int32Array)).toEqual(expected(3));
    // Kill the worker, but let the session hear of it only once the next run has dispatched to it (as when it dies mid-run).
    tracker.heldDeaths = [];
    await tracker.started.at(-1)!.terminate();
    const run = session.run({});
    setTimeout(() => tracker.heldDeaths?.splice(0).forEach((deliver) => deliver()), 10);
    await expect(run).rejects.toThrow(ThreadError);
    tracker.heldDeaths = undefined;
    expect(Array.from((await session.run({})).y.data as Int32Array)).toEqual(expected(3));
    session.dispose();
  });

  it('queues concurrent runs', async () => {
    const session = await WasmSession.create(fillProgram(COUNT, 5), { numThreads: 2 });
    const results = await Promise.all([session.run({}), session.run({}), session.run({})]);
    for (const result of results) expect(Array.from(result.y.data as Int32Array)).toEqual(expected(5));
    session.dispose();
  });

  it('leaves no worker behind after 200 create/run/dispose cycles, and memory flat', async () => {
    const program = fillProgram(COUNT, 1);
    const before = { started: tracker.started.length, exited: tracker.exited };
    const rss: number[] = [];
    for (let cycle = 1; cycle <= 200; cycle++) {
      const session = await WasmSession.create(program, { numThreads: 2 });
      await session.run({});
      session.dispose();
      if (cycle % 50 === 0) {
        collectGarbage();
        rss.push(process.memoryUsage().rss);
      }
    }
    expect(tracker.started.length - before.started).toBe(200);
    await vi.waitFor(() => expect(tracker.exited - before.exited).toBe(200), { timeout: 30_000 });
    // After warm-up (the first 50 cycles), RSS stays flat: a leak of even 0.5 MiB a cycle would add 75 MiB.
    const growth = rss[3] - rss[0];
    expect(growth, `RSS after 50/100/150/200 cycles: ${rss.map((bytes) => (bytes / 2 ** 20).toFixed(0)).join('/')} MiB`).toBeLessThan(64 * 2 ** 20);
  }, 900_000);

  it('a Node process exits by itself after disposing its threaded session', () => {
    const directory = mkdtempSync(join(tmpdir(), 'ladon-threads-'));
    const file = join(directory, 'fill.ladon');
    writeFileSync(file, serializeProgram(fillProgram(COUNT, 2)));
    const script = `
      import { readFileSync } from 'node:fs';
      import { Session } from '@ladon/runtime';
      const session = await Session.create(readFileSync(process.argv[1]), { backend: 'wasm', numThreads: 2 });
      const { y } = await session.run({});
      console.log('threads', session.numThreads, y.data[${COUNT - 1}]);
      session.dispose();
    `;
    try {
      const root = fileURLToPath(new URL('../../', import.meta.url));
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, file], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe(`threads 2 ${COUNT + 1}`);
      expect(run.status, 'exited by itself with code 0 (a hang would be killed by the timeout: status null)').toBe(0);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
