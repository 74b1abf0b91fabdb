/**
 * The browser demo in headless Chromium (playwright-core): serves the built
 * demo (dist/demo, made by `npm run build`), runs it on test_data_set_0's
 * first row and checks the attention weights the page exposes on
 * `window.ladonDemo` against the reference interpreter run here in Node,
 * within 1e-4 (on the runtime's preferred backend: never a software WebGPU
 * adapter); then the same on the forced wasm backend, the lower-case note
 * and the colour key, the layout at 390 and 1280 px (no element may stick
 * out horizontally), and a random repeated segment. Saves screenshots under
 * test-results/ (git-ignored).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { interpret, tensor, type Tensor } from '@ladon/ir';
import { loadOnnxFile, readTensorFile } from '@ladon/onnx/node';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSnapshot } from '../src/browser/demo-snapshot.js';
import { inductionModelDirectory } from '../src/node/shared-data.js';
import { CHROMIUM_ARGS, horizontalOverflow } from './browser-kit.js';
import { serveDirectory, type StaticServer } from './static-server.js';

const APP_DIRECTORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEMO_DIRECTORY = path.join(APP_DIRECTORY, 'dist', 'demo');
const SCREENSHOT_DIRECTORY = path.join(APP_DIRECTORY, 'test-results');
const TOLERANCE = 1e-4;

interface Reference {
  readonly ids: number[];
  readonly outputs: Record<string, Tensor>;
}

/** Row 0 of with-weights/test_data_set_0 and the reference interpreter's outputs on it. */
async function referenceOnFirstRow(): Promise<Reference> {
  const modelDirectory = path.join(inductionModelDirectory(), 'with-weights');
  const input = await readTensorFile(path.join(modelDirectory, 'test_data_set_0', 'input_0.pb'));
  const length = input.tensor.shape[1];
  const ids = Array.from((input.tensor.data as BigInt64Array).subarray(0, length), Number);
  const model = await loadOnnxFile(path.join(modelDirectory, 'model.onnx'));
  return { ids, outputs: interpret(model.graph, { input_ids: tensor('i64', [1, length], ids) }) };
}

function maxAbsDifference(got: readonly number[], expected: Tensor): number {
  const data = expected.data as Float32Array;
  expect(got.length).toBe(data.length);
  return got.reduce((worst, value, index) => Math.max(worst, Math.abs(value - data[index])), 0);
}

/** Positions whose reference argmax leads the runner-up by a clear margin (the rest are near-ties). */
function clearArgmaxes(logits: Tensor): Map<number, number> {
  const [, seq, vocabularySize] = logits.shape;
  const data = logits.data as Float32Array;
  const clear = new Map<number, number>();
  for (let position = 0; position < seq; position++) {
    const row = Array.from(data.subarray(position * vocabularySize, (position + 1) * vocabularySize));
    const order = row.map((value, id) => ({ value, id })).sort((a, b) => b.value - a.value);
    if (order[0].value - order[1].value > 1e-3) clear.set(position, order[0].id);
  }
  return clear;
}

async function openDemo(page: Page, url: string): Promise<DemoSnapshot> {
  await page.goto(url);
  await page.waitForFunction(() => window.ladonDemo !== undefined && window.ladonDemo.status !== 'loading', undefined, { timeout: 45_000 });
  const snapshot = await page.evaluate(() => window.ladonDemo!);
  if (snapshot.status === 'error') throw new Error(`the demo page failed: ${snapshot.error}`);
  return snapshot;
}

function describeBackend(snapshot: DemoSnapshot): string {
  const fallback = snapshot.fallbackReason ? ` (fell back: ${snapshot.fallbackReason})` : '';
  return `${snapshot.backend}${fallback}; load ${snapshot.loadMs?.toFixed(0)} ms, run ${snapshot.runMs?.toFixed(1)} ms`;
}

function expectMatchesReference(snapshot: DemoSnapshot, reference: Reference): void {
  expect(snapshot.ids).toEqual(reference.ids);
  const errors = ['attn_l0', 'attn_l1'].map((name) => maxAbsDifference(snapshot.attention[name as 'attn_l0' | 'attn_l1'], reference.outputs[name]));
  console.log(`  heatmap numbers vs reference interpreter, max |error|: attn_l0 ${errors[0].toExponential(2)}, attn_l1 ${errors[1].toExponential(2)}`);
  for (const error of errors) expect(error).toBeLessThanOrEqual(TOLERANCE);
  for (const [position, id] of clearArgmaxes(reference.outputs.logits)) expect(snapshot.predictions[position], `prediction at ${position}`).toBe(id);
}

describe('browser demo in headless Chromium', () => {
  let server: StaticServer;
  let context: BrowserContext;
  let page: Page;
  let reference: Reference;
  let userDataDirectory: string;

  beforeAll(async () => {
    if (!existsSync(path.join(DEMO_DIRECTORY, 'index.html'))) throw new Error(`${DEMO_DIRECTORY} has no index.html: run \`npm run build\` first`);
    reference = await referenceOnFirstRow();
    server = await serveDirectory(DEMO_DIRECTORY);
    userDataDirectory = mkdtempSync(path.join(os.tmpdir(), 'ladon-demo-chromium-'));
    context = await chromium.launchPersistentContext(userDataDirectory, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1100, height: 1400 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    mkdirSync(SCREENSHOT_DIRECTORY, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (userDataDirectory) rmSync(userDataDirectory, { recursive: true, force: true });
  });

  it("shows the attention of test_data_set_0 row 0 as the reference interpreter computes it (on the runtime's preferred backend)", async () => {
    const snapshot = await openDemo(page, `${server.url}?ids=${reference.ids.join(',')}`);
    console.log(`browser demo ran on ${describeBackend(snapshot)}`);
    expectMatchesReference(snapshot, reference);
    const adapter = await page.evaluate(async () => {
      const found = await navigator.gpu?.requestAdapter();
      return found ? { fallback: Boolean((found.info as { isFallbackAdapter?: boolean }).isFallbackAdapter), architecture: found.info.architecture } : null;
    });
    console.log(`  Chromium's WebGPU adapter: ${JSON.stringify(adapter)}`);
    if (adapter === null || adapter.fallback || adapter.architecture === 'swiftshader') {
      expect(snapshot.backend, 'no hardware adapter: the page must not pick WebGPU').toBe('wasm');
      expect(snapshot.fallbackReason).toBeDefined();
    }
    const strongest = snapshot.heads.reduce((best, head) => (head.induction > best.induction ? head : best));
    expect(strongest.layer).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIRECTORY, 'browser-demo.png'), fullPage: true });
  });

  it('gives the same numbers on the wasm backend (?backend=wasm)', async () => {
    const snapshot = await openDemo(page, `${server.url}?backend=wasm&seed=20261124&ids=${reference.ids.join(',')}`);
    console.log(`browser demo ran on ${describeBackend(snapshot)}`);
    expect(snapshot.backend).toBe('wasm');
    expectMatchesReference(snapshot, reference);
  });

  it('is cross-origin isolated and runs wasm on 2 threads with the same numbers (?threads=2)', async () => {
    const snapshot = await openDemo(page, `${server.url}?backend=wasm&threads=2&ids=${reference.ids.join(',')}`);
    console.log(`browser demo ran on ${describeBackend(snapshot)}, ${snapshot.threads} threads`);
    expect(snapshot.crossOriginIsolated).toBe(true);
    expect(snapshot.threads).toBe(2);
    expect(await page.textContent('#status')).toContain('2 threads');
    expectMatchesReference(snapshot, reference);
  });

  it('gives the same numbers on WebGPU when asked for it (?backend=webgpu; SwiftShader here)', async (context) => {
    const hasAdapter = await page.evaluate(async () => Boolean(await navigator.gpu?.requestAdapter()));
    if (!hasAdapter && !process.env.CI) return context.skip();
    const snapshot = await openDemo(page, `${server.url}?backend=webgpu&ids=${reference.ids.join(',')}`);
    console.log(`browser demo ran on ${describeBackend(snapshot)}`);
    expect(snapshot.backend).toBe('webgpu');
    expectMatchesReference(snapshot, reference);
  });

  it('says when it reads lower-case letters as upper-case, and shows a colour key', async () => {
    const snapshot = await openDemo(page, `${server.url}?backend=wasm&text=abcab`);
    expect(snapshot.ids.length).toBe(6);
    expect(await page.textContent('#input-note')).toContain('read 5 lower-case letters as upper-case');
    expect(await page.inputValue('#sequence')).toBe('abcab');
    const legend = await page.textContent('#legend');
    for (const text of ['weight 0', '1', 'masked (future key)', 'induction target']) expect(legend).toContain(text);
    expect(await page.$eval('.legend-ramp', (ramp) => getComputedStyle(ramp).backgroundImage)).toMatch(/^linear-gradient\(to right, rgb\(255, 255, 255\),/);
  });

  it.each([390, 1280])('fits a %i px wide viewport: no element overflows horizontally', async (width) => {
    await page.setViewportSize({ width, height: 900 });
    await openDemo(page, `${server.url}?backend=wasm&ids=${reference.ids.join(',')}`);
    const layout = await page.evaluate(horizontalOverflow);
    await page.screenshot({ path: path.join(SCREENSHOT_DIRECTORY, `browser-demo-${width}px.png`), fullPage: true });
    expect(layout.overflows).toEqual([]);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.width);
    expect(layout.width).toBe(width);
  });

  it('makes a sequence with a repeated segment whose induction heads light up', async () => {
    // A fixed seed for the button's random segment: some random segments score below the bar.
    await openDemo(page, `${server.url}?backend=wasm&seed=20261124&ids=${reference.ids.join(',')}`);
    await page.click('#repeat');
    await page.waitForFunction(() => (window.ladonDemo?.runs ?? 0) >= 2 || window.ladonDemo?.status === 'error', undefined, { timeout: 20_000 });
    const snapshot = await page.evaluate(() => window.ladonDemo!);
    expect(snapshot.status).toBe('ready');
    expect(Math.max(...snapshot.heads.map((head) => head.induction))).toBeGreaterThan(0.9);
    await page.screenshot({ path: path.join(SCREENSHOT_DIRECTORY, 'browser-demo-random-repeat.png'), fullPage: true });
  });
});
