/**
 * The wasm session on several threads: results with 2 and 3 threads equal
 * the 1-thread results bit for bit (each query tile, each block of GEMM
 * rows and each normalised row is computed whole by one thread, with the
 * same code, so the order of every reduction is the same); a killed worker makes `run` fail with a
 * ThreadError and the next run works again; concurrent runs are queued;
 * 200 create/run/dispose cycles leave no worker behind and memory flat; a
 * Node process exits by itself after disposing its sessions.
 */
import { compileProgram } from '@ladon/compiler';
import { GraphBuilder, seededRandom, tensor, type Attributes, type Graph, type Program, type Tensor } from '@ladon/ir';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ThreadError } from '../errors.js';
import { tracker } from './threads/worker-tracker.js';
import { WasmSession } from './wasm-session.js';

vi.mock('./threads/worker-seam.js', async (importOriginal) => (await import('./threads/worker-tracker.js')).trackedSeam(await importOriginal()));

/** A full garbage collection (V8's gc, reached without a command-line flag), so RSS is compared after garbage is gone. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const next = seededRandom(5);
const randomTensor = (shape: number[]): Tensor => tensor('f32', shape, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => next() * 2 - 1));

/** Attention on [1, H, S, D] inputs (optionally GQA with fewer KV heads). */
function attentionGraph(heads: number, kvHeads: number, seq: number, size: number, attrs: Attributes = {}): Graph {
  const g = new GraphBuilder('threads_attention');
  const q = g.input('q', 'f32', [1, heads, 'seq', size]);
  const [k, v] = ['k', 'v'].map((name) => g.input(name, 'f32', [1, kvHeads, seq, size]));
  g.output(g.op('Attention', [q, k, v], attrs), 'y');
  return g.build();
}

/** Packed QKV Linear, attention, output Linear: the MHA block's splittable steps. */
function blockGraph(width: number, heads: number): { graph: Graph; feeds: Record<string, Tensor> } {
  const g = new GraphBuilder('threads_block');
  const x = g.input('x', 'f32', [1, 'seq', width]);
  const linear = (input: ReturnType<typeof g.input>) => g.op('Linear', [input, g.constant(randomTensor([width, width])), g.constant(randomTensor([width]))]);
  const [q, k, v] = [linear(x), linear(x), linear(x)];
  const context = g.op('Attention', [q, k, v], { q_num_heads: heads, kv_num_heads: heads, is_causal: 1 });
  g.output(linear(context), 'y');
  return { graph: g.build(), feeds: { x: randomTensor([1, 96, width]) } };
}

async function outputsWith(program: Program, feeds: Record<string, Tensor>, numThreads: number): Promise<{ outputs: Record<string, Tensor>; threads: number }> {
  const session = await WasmSession.create(program, { relaxedSimd: false, numThreads });
  try {
    return { outputs: await session.run(feeds), threads: session.threads };
  } finally {
    session.dispose();
  }
}

const compile = (graph: Graph): Promise<Program> => compileProgram(graph, { target: 'wasm', relaxedSimd: false });

describe('wasm session on several threads', () => {
  const cases: { name: string; graph: () => Graph; feeds: () => Record<string, Tensor> }[] = [
    { name: 'attention', graph: () => attentionGraph(4, 4, 72, 32), feeds: () => ({ q: randomTensor([1, 4, 72, 32]), k: randomTensor([1, 4, 72, 32]), v: randomTensor([1, 4, 72, 32]) }) },
    { name: 'causal attention', graph: () => attentionGraph(3, 3, 90, 32, { is_causal: 1 }), feeds: () => ({ q: randomTensor([1, 3, 90, 32]), k: randomTensor([1, 3, 90, 32]), v: randomTensor([1, 3, 90, 32]) }) },
    { name: 'GQA attention, 10 query tiles per head', graph: () => attentionGraph(6, 2, 160, 16), feeds: () => ({ q: randomTensor([1, 6, 40, 16]), k: randomTensor([1, 2, 160, 16]), v: randomTensor([1, 2, 160, 16]) }) },
  ];

  it.each(cases)('$name: 2 and 3 threads give the 1-thread result bit for bit', async ({ graph, feeds }) => {
    const program = await compile(graph());
    const input = feeds();
    const workersBefore = tracker.started.length;
    const single = await outputsWith(program, input, 1);
    expect(single.threads).toBe(1);
    for (const numThreads of [2, 3]) {
      const multi = await outputsWith(program, input, numThreads);
      expect(multi.threads).toBe(numThreads);
      expect(Array.from(multi.outputs.y.data as Float32Array)).toEqual(Array.from(single.outputs.y.data as Float32Array));
    }
    expect(tracker.started.length - workersBefore, 'workers were started: the step ran in parts').toBe(1 + 2);
  });

  it('LayerNormalization over many rows (with its Mean and InvStdDev outputs): 2 and 3 threads equal 1 thread bit for bit', async () => {
    const g = new GraphBuilder('threads_layer_norm');
    const x = g.input('x', 'f32', [2, 'seq', 384]);
    const [y, mean, invStd] = g.opMulti('LayerNormalization', [x, g.constant(randomTensor([384])), g.constant(randomTensor([384]))], { axis: -1 }, 3);
    [y, mean, invStd].forEach((value, index) => g.output(value!, ['y', 'mean', 'invStd'][index]));
    const program = await compile(g.build());
    expect(program.steps.map((step) => Boolean(step.split))).toEqual([true]);
    const feeds = { x: randomTensor([2, 300, 384]) };
    const single = (await outputsWith(program, feeds, 1)).outputs;
    for (const numThreads of [2, 3]) {
      const multi = (await outputsWith(program, feeds, numThreads)).outputs;
      for (const name of ['y', 'mean', 'invStd']) expect(Array.from(multi[name].data as Float32Array), name).toEqual(Array.from(single[name].data as Float32Array));
    }
  });

  it('MHA-style block (packed Linear, causal attention, Linear): 2 and 3 threads equal 1 thread bit for bit', async () => {
    const { graph, feeds } = blockGraph(64, 4);
    const program = await compile(graph);
    expect(program.steps.filter((step) => step.split).map((step) => step.op)).toEqual(['Linear', 'Attention', 'Linear']);
    const single = (await outputsWith(program, feeds, 1)).outputs.y.data;
    for (const numThreads of [2, 3]) expect(Array.from((await outputsWith(program, feeds, numThreads)).outputs.y.data as Float32Array)).toEqual(Array.from(single as Float32Array));
  });
});

describe('wasm session threads: lifecycle and faults', () => {
  let program: Program;
  let feeds: Record<string, Tensor>;
  beforeAll(async () => {
    program = await compile(attentionGraph(4, 4, 256, 64));
    feeds = { q: randomTensor([1, 4, 256, 64]), k: randomTensor([1, 4, 256, 64]), v: randomTensor([1, 4, 256, 64]) };
  });

  it('a worker killed during a run fails it with a ThreadError, and the next run works on fresh workers', async () => {
    const session = await WasmSession.create(program, { relaxedSimd: false, numThreads: 2 });
    const expected = (await session.run(feeds)).y.data;
    // Kill the worker, but let the session hear of it only once the next run has dispatched to it (as when it dies mid-run).
    tracker.heldDeaths = [];
    await tracker.started.at(-1)!.terminate();
    const run = session.run(feeds);
    setTimeout(() => tracker.heldDeaths?.splice(0).forEach((deliver) => deliver()), 10);
    await expect(run).rejects.toThrow(ThreadError);
    tracker.heldDeaths = undefined;
    expect(Array.from((await session.run(feeds)).y.data as Float32Array)).toEqual(Array.from(expected as Float32Array));
    session.dispose();
  });

  it('queues concurrent runs: each gets the result of its own feeds', async () => {
    const session = await WasmSession.create(program, { relaxedSimd: false, numThreads: 2 });
    const others = { ...feeds, q: randomTensor([1, 4, 256, 64]) };
    const sequential = [(await session.run(feeds)).y.data, (await session.run(others)).y.data];
    const concurrent = await Promise.all([session.run(feeds), session.run(others), session.run(feeds)]);
    expect(concurrent.map((result) => Array.from(result.y.data as Float32Array))).toEqual([sequential[0], sequential[1], sequential[0]].map((data) => Array.from(data as Float32Array)));
    session.dispose();
  });

  it('leaves no worker behind after 200 create/run/dispose cycles, and memory flat', async () => {
    const small = { q: feeds.q, k: feeds.k, v: feeds.v };
    const before = { started: tracker.started.length, exited: tracker.exited };
    const rss: number[] = [];
    for (let cycle = 1; cycle <= 200; cycle++) {
      const session = await WasmSession.create(program, { relaxedSimd: false, numThreads: 2 });
      await session.run(small);
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
  }, 300_000);

  it('a Node process exits by itself after disposing its threaded session', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const script = `
      import { compileProgram } from '@ladon/compiler';
      import { GraphBuilder, tensor } from '@ladon/ir';
      import { Session } from '@ladon/runtime';
      const g = new GraphBuilder('exit');
      const [q, k, v] = ['q', 'k', 'v'].map((name) => g.input(name, 'f32', [1, 4, 256, 64]));
      g.output(g.op('Attention', [q, k, v]), 'y');
      const session = await Session.create(await compileProgram(g.build(), { target: 'wasm' }), { backend: 'wasm', numThreads: 2 });
      const input = tensor('f32', [1, 4, 256, 64], new Float32Array(65536).fill(0.5));
      await session.run({ q: input, k: input, v: input });
      console.log('threads', session.numThreads);
      session.dispose();
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('threads 2');
    expect(run.status, 'exited by itself with code 0 (a hang would be killed by the timeout: status null)').toBe(0);
  });
});
