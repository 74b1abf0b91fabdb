/**
 * The shapes-vision page in headless Chromium (playwright-core): serves the
 * built demo (dist/demo, made by `npm run build`), checks the ViT's and the
 * CNN's predictions on eval images against torch's (eval.json), then "Score
 * all 200": both accuracies equal torch's, every argmax equals torch's, and
 * the mean mass in the target box of each ViT head (and the heads' mean)
 * and of each CBAM spatial map matches torch's eval.json scores within
 * 1e-3. Checks the layout at 390 and 1280 px and saves screenshots under
 * test-results/ (git-ignored).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShapesSnapshot } from '../src/browser/shapes-snapshot.js';
import { visionModelsDirectory } from '../src/node/shared-data.js';
import type { VisionEvalSet } from '../src/shared/vision-assets.js';
import { CHROMIUM_ARGS, horizontalOverflow } from './browser-kit.js';
import { serveDirectory, type StaticServer } from './static-server.js';

const APP_DIRECTORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEMO_DIRECTORY = path.join(APP_DIRECTORY, 'dist', 'demo');
const SCREENSHOT_DIRECTORY = path.join(APP_DIRECTORY, 'test-results');
/** Mean mass in box: Ladon's float32 maps against torch's, both averaged over 200 images. */
const SCORE_TOLERANCE = 1e-3;

async function openShapes(page: Page, url: string, runs = 1): Promise<ShapesSnapshot> {
  await page.goto(url);
  await page.waitForFunction((wanted) => window.ladonShapes?.status === 'error' || (window.ladonShapes?.runs ?? 0) >= wanted, runs, { timeout: 60_000 });
  const snapshot = await page.evaluate(() => window.ladonShapes!);
  if (snapshot.status === 'error') throw new Error(`the shapes page failed: ${snapshot.error}`);
  return snapshot;
}

describe('shapes-vision page in headless Chromium', () => {
  let server: StaticServer;
  let context: BrowserContext;
  let page: Page;
  let evalSet: VisionEvalSet;
  let userDataDirectory: string;

  beforeAll(async () => {
    if (!existsSync(path.join(DEMO_DIRECTORY, 'shapes.html'))) throw new Error(`${DEMO_DIRECTORY} has no shapes.html: run \`npm run build\` first`);
    evalSet = JSON.parse(readFileSync(path.join(visionModelsDirectory(), 'eval.json'), 'utf8')) as VisionEvalSet;
    server = await serveDirectory(DEMO_DIRECTORY);
    userDataDirectory = mkdtempSync(path.join(os.tmpdir(), 'ladon-shapes-chromium-'));
    context = await chromium.launchPersistentContext(userDataDirectory, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 1400 } });
    page = context.pages()[0] ?? (await context.newPage());
    mkdirSync(SCREENSHOT_DIRECTORY, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (userDataDirectory) rmSync(userDataDirectory, { recursive: true, force: true });
  });

  it.each([0, 57, 199])("predicts eval image %i as torch does, and 'next' moves on", async (index) => {
    const snapshot = await openShapes(page, `${server.url}shapes.html?image=${index}`);
    expect(snapshot.index).toBe(index);
    expect(snapshot.vit?.prediction).toBe(evalSet.items[index].vit_pred);
    expect(snapshot.cnn?.prediction).toBe(evalSet.items[index].cnn_pred);
    expect(snapshot.vit?.masses.flat().every((mass) => mass >= 0 && mass <= 1)).toBe(true);
    await page.click('#next');
    await page.waitForFunction(() => (window.ladonShapes?.runs ?? 0) >= 2, undefined, { timeout: 20_000 });
    const next = await page.evaluate(() => window.ladonShapes!);
    const nextIndex = (index + 1) % evalSet.items.length;
    expect(next.index).toBe(nextIndex);
    expect(next.vit?.prediction).toBe(evalSet.items[nextIndex].vit_pred);
    expect(next.cnn?.prediction).toBe(evalSet.items[nextIndex].cnn_pred);
  });

  it("scores all 200 images as torch does: accuracy, every argmax and the mean attention mass in the target box", async () => {
    await openShapes(page, `${server.url}shapes.html?image=3`);
    await page.click('#score-all');
    await page.waitForFunction(() => window.ladonShapes?.totals !== undefined || window.ladonShapes?.status === 'error', undefined, { timeout: 120_000 });
    const { totals, status, error } = await page.evaluate(() => window.ladonShapes!);
    expect(status, error).toBe('ready');
    const torch = evalSet.torch;
    expect(totals!.images).toBe(200);
    expect(totals!.vitCorrect / 200).toBe(torch['vit-tiny'].accuracy);
    expect(totals!.cnnCorrect / 200).toBe(torch['cnn-cbam'].accuracy);
    expect([totals!.vitAgrees, totals!.cnnAgrees]).toEqual([200, 200]);
    for (const entry of torch['vit-tiny'].attention) {
      const head = entry.head === 'mean' ? 4 : entry.head;
      expect(Math.abs(totals!.vitMass[entry.layer][head] - entry.mass_in_box), `ViT L${entry.layer} ${entry.head}`).toBeLessThanOrEqual(SCORE_TOLERANCE);
    }
    torch['cnn-cbam'].attention.forEach((entry, index) => expect(Math.abs(totals!.cnnMass[index] - entry.mass_in_box), `CBAM ${entry.cbam}`).toBeLessThanOrEqual(SCORE_TOLERANCE));
    console.log(`  ViT layer 0 mean ${(100 * totals!.vitMass[0][4]).toFixed(2)}% in box (torch ${(100 * torch['vit-tiny'].attention[4].mass_in_box).toFixed(2)}%), CBAM 1 ${(100 * totals!.cnnMass[0]).toFixed(2)}%; batch 200 on wasm: ViT ${totals!.vitMs.toFixed(0)} ms, CNN ${totals!.cnnMs.toFixed(0)} ms`);
    expect(await page.textContent('#totals')).toContain('ViT L0 mean in box');
    await page.screenshot({ path: path.join(SCREENSHOT_DIRECTORY, 'shapes-demo.png'), fullPage: true });
  });

  it.each([390, 1280])('fits a %i px wide viewport: no element overflows horizontally', async (width) => {
    await page.setViewportSize({ width, height: 900 });
    await openShapes(page, `${server.url}shapes.html?image=0`);
    const layout = await page.evaluate(horizontalOverflow);
    await page.screenshot({ path: path.join(SCREENSHOT_DIRECTORY, `shapes-demo-${width}px.png`), fullPage: true });
    expect(layout.overflows).toEqual([]);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.width);
  });
});
