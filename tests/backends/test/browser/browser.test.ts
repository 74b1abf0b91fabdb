/**
 * The runtime in a browser: an ESM bundle of @ladon/runtime (built here with
 * esbuild) is served from localhost by a tiny node:http server (with the
 * COOP/COEP headers of cross-origin isolation) with a Program compiled in
 * Node (serializeProgram) and its inputs; headless Chromium (playwright-core,
 * /usr/bin/chromium with --enable-unsafe-webgpu, SwiftShader) loads them and
 * runs, through Session, an attention program on wasm with 1 and 2 threads
 * (module Web Workers; the page's main thread never blocks) and the
 * attention block on WebGPU; the outputs must match the reference interpreter. Without
 * Chromium or an adapter in it the test skips with the reason, and fails
 * when CI is set.
 */
import { compileProgram } from '@ladon/compiler';
import { GraphBuilder, interpret, seededRandom, serializeProgram, tensor, type DType, type Tensor } from '@ladon/ir';
import { loadTestCase } from '@ladon/onnx/node';
import { build } from 'esbuild';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it, type TestContext } from 'vitest';
import { expectOutputs } from '../../src/gpu.js';
import { REPOSITORY, SHARED } from '../../src/paths.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu'];
const RUNTIME_ENTRY = join(REPOSITORY, 'packages/runtime/src/index.ts');
const MODEL = join(SHARED, 'fixtures/torch-export/seed_mha_block');

/** A tensor as JSON (i64 as numbers). */
interface JsonTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

function toJson(value: Tensor): JsonTensor {
  return { dtype: value.dtype, shape: value.shape, data: Array.from(value.data as ArrayLike<number | bigint>, Number) };
}

/** Named tensors as the JSON the page scripts read. */
function inputsJson(inputs: Readonly<Record<string, Tensor>>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, toJson(value)])));
}

async function bundleRuntime(): Promise<string> {
  const result = await build({
    entryPoints: [RUNTIME_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    external: ['@ladon/compiler', '@ladon/onnx', 'webgpu', 'node:*'],
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

function serve(files: Readonly<Record<string, { type: string; body: string | Uint8Array }>>): Promise<Server> {
  const server = createServer((request, response) => {
    const file = files[request.url ?? ''];
    // Cross-origin isolated, so the page may share wasm memory with workers.
    const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
    if (!file) return void response.writeHead(404, isolation).end();
    response.writeHead(200, { ...isolation, 'content-type': file.type }).end(file.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * The page's module script (plain JavaScript, served as is): loads the
 * runtime bundle, runs the program on WebGPU, and leaves the outputs (or why
 * it could not run) in `window.ladonResult`.
 */
const PAGE_SCRIPT = `
import { Session, tensor } from '/runtime.js';
async function run() {
  if (!navigator.gpu || !(await navigator.gpu.requestAdapter())) return 'no WebGPU adapter in Chromium';
  const bytes = new Uint8Array(await (await fetch('/program.ladon')).arrayBuffer());
  const inputs = await (await fetch('/inputs.json')).json();
  const session = await Session.create(bytes, { backend: 'webgpu' });
  const feeds = {};
  for (const [name, value] of Object.entries(inputs)) {
    feeds[name] = tensor(value.dtype, value.shape, value.dtype === 'i64' ? value.data.map(BigInt) : value.data);
  }
  const outputs = await session.run(feeds);
  session.dispose();
  const result = {};
  for (const [name, value] of Object.entries(outputs)) result[name] = { dtype: value.dtype, shape: value.shape, data: Array.from(value.data, Number) };
  return result;
}
window.ladonResult = run().catch((error) => 'failed in the page: ' + error.name + ': ' + error.message);
`;

const PAGE = `<!doctype html><title>ladon webgpu</title><script type="module" src="/page.js"></script>`;

/**
 * The threads page: runs an attention program on wasm with 1 and then 2
 * threads on the page's main thread (which may not block: the runtime
 * waits for its module Web Workers with Atomics.waitAsync).
 */
const THREADS_SCRIPT = `
import { Session, tensor } from '/runtime.js';
async function run() {
  const bytes = new Uint8Array(await (await fetch('/attention.ladon')).arrayBuffer());
  const inputs = await (await fetch('/attention.json')).json();
  const feeds = {};
  for (const [name, value] of Object.entries(inputs)) feeds[name] = tensor(value.dtype, value.shape, value.data);
  const runs = [];
  for (const numThreads of [1, 2]) {
    const session = await Session.create(bytes, { backend: 'wasm', numThreads });
    const y = (await session.run(feeds)).y;
    runs.push({ threads: session.numThreads, dtype: y.dtype, shape: y.shape, data: Array.from(y.data) });
    session.dispose();
  }
  return { crossOriginIsolated, runs };
}
window.ladonResult = run().catch((error) => 'failed in the page: ' + error.name + ': ' + error.message);
`;

/**
 * Serves the page, the runtime bundle and `files` (page.js among them),
 * opens the page in headless Chromium and returns what its script left in
 * `window.ladonResult`.
 */
async function resultInPage(files: Readonly<Record<string, { type: string; body: string | Uint8Array }>>): Promise<unknown> {
  const server = await serve({ '/': { type: 'text/html', body: PAGE }, '/runtime.js': { type: 'text/javascript', body: await bundleRuntime() }, ...files });
  const profile = mkdtempSync(join(tmpdir(), 'ladon-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => 'ladonResult' in window);
    return await page.evaluate(() => (window as unknown as { ladonResult: Promise<unknown> }).ladonResult);
  } finally {
    await browser.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

function unavailable(context: TestContext, reason: string): void {
  if (process.env.CI) throw new Error(`browser WebGPU test cannot run: ${reason}`);
  console.warn(`skipping the browser WebGPU test: ${reason}`);
  context.skip();
}

interface ThreadsResult {
  readonly crossOriginIsolated: boolean;
  readonly runs: readonly (JsonTensor & { readonly threads: number })[];
}

describe('the runtime bundle in headless Chromium', () => {
  it('runs wasm attention on 2 threads in a cross-origin isolated page: equal to 1 thread, and to the reference', async (context) => {
    if (!existsSync(CHROMIUM)) return unavailable(context, `${CHROMIUM} is not installed`);
    const g = new GraphBuilder('threads_page');
    // Big enough that the attention step runs in 2 parts, small enough for a loaded machine.
    const [q, k, v] = ['q', 'k', 'v'].map((name) => g.input(name, 'f32', [1, 2, 192, 32]));
    g.output(g.op('Attention', [q, k, v], { is_causal: 1 }), 'y');
    const graph = g.build();
    const next = seededRandom(17);
    const inputs = Object.fromEntries(['q', 'k', 'v'].map((name) => [name, tensor('f32', [1, 2, 192, 32], Array.from({ length: 2 * 192 * 32 }, () => next() * 2 - 1))]));
    const result = (await resultInPage({
      '/page.js': { type: 'text/javascript', body: THREADS_SCRIPT },
      '/attention.ladon': { type: 'application/octet-stream', body: serializeProgram(await compileProgram(graph, { target: 'wasm' })) },
      '/attention.json': { type: 'application/json', body: inputsJson(inputs) },
    })) as ThreadsResult | string;
    if (typeof result === 'string') throw new Error(result);
    expect(result.crossOriginIsolated).toBe(true);
    expect(result.runs.map((run) => run.threads)).toEqual([1, 2]);
    expect(result.runs[1].data).toEqual(result.runs[0].data);
    expectOutputs({ y: tensor('f32', result.runs[1].shape, result.runs[1].data) }, interpret(graph, inputs), () => ({ rtol: 1e-4, atol: 1e-5 }));
  });

  it('runs a precompiled attention block on WebGPU and matches the reference interpreter', async (context) => {
    if (!existsSync(CHROMIUM)) return unavailable(context, `${CHROMIUM} is not installed`);
    const testCase = await loadTestCase(MODEL);
    const program = await compileProgram(testCase.model.graph, { target: 'wgsl' });
    const inputs = testCase.dataSets[0].inputs;
    const result = (await resultInPage({
      '/page.js': { type: 'text/javascript', body: PAGE_SCRIPT },
      '/program.ladon': { type: 'application/octet-stream', body: serializeProgram(program) },
      '/inputs.json': { type: 'application/json', body: inputsJson(inputs) },
    })) as Record<string, JsonTensor> | string;
    if (result === 'no WebGPU adapter in Chromium') return unavailable(context, result);
    if (typeof result === 'string') throw new Error(result);
    const got = Object.fromEntries(Object.entries(result).map(([name, value]) => [name, tensor(value.dtype, value.shape, value.data)]));
    expectOutputs(got, interpret(testCase.model.graph, inputs), () => ({ rtol: 1e-4, atol: 1e-5 }));
  });
});
