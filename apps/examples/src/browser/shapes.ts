/**
 * The shapes-vision page: an eval image, the ViT's CLS attention per layer
 * and head and CBAM's spatial and channel attention over it, each model's
 * prediction, its "mass in the target box" scores and run time; "Score
 * all 200" runs both models on the whole eval set in one batch and shows
 * the accuracies and mean scores beside torch's. Both models run as
 * precompiled wasm programs. Query parameter `image=N` picks the first
 * image. The page's numbers are on `window.ladonShapes` for tests.
 */
import { Session, tensor, type Tensor } from '@ladon/runtime';
import { VISION_FILES, type VisionEvalSet, type VisionManifest } from '../shared/vision-assets.js';
import { cnnImageResult, VIT, vitImageResult, type CnnImageResult, type Outputs, type VitImageResult } from '../shared/vision-scores.js';
import type { ShapesSnapshot, ShapesTotals } from './shapes-snapshot.js';
import { channelBars, imagePixels, mapFigure, percent, table } from './shapes-view.js';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

const page = {
  index: element<HTMLInputElement>('image-index'),
  previous: element<HTMLButtonElement>('previous'),
  next: element<HTMLButtonElement>('next'),
  random: element<HTMLButtonElement>('random'),
  scoreAll: element<HTMLButtonElement>('score-all'),
  status: element<HTMLParagraphElement>('status'),
  vitSummary: element<HTMLElement>('vit-summary'),
  cnnSummary: element<HTMLElement>('cnn-summary'),
  vitMaps: element<HTMLDivElement>('vit-maps'),
  cnnMaps: element<HTMLDivElement>('cnn-maps'),
  channelBars: element<HTMLDivElement>('channel-bars'),
  totals: element<HTMLDivElement>('totals'),
};

interface Loaded {
  readonly evalSet: VisionEvalSet;
  readonly images: Uint8Array;
  readonly vit: Session;
  readonly cnn: Session;
  readonly loadMs: number;
}

async function fetchOk(file: string): Promise<Response> {
  const response = await fetch(file);
  if (!response.ok) throw new Error(`GET ${file}: ${response.status} ${response.statusText} (did the build's precompile step run?)`);
  return response;
}

async function load(): Promise<Loaded> {
  const started = performance.now();
  const manifest = (await (await fetchOk(VISION_FILES.manifest)).json()) as VisionManifest;
  const evalSet = (await (await fetchOk(VISION_FILES.evalSet)).json()) as VisionEvalSet;
  const session = async (file: string) => Session.create(new Uint8Array(await (await fetchOk(file)).arrayBuffer()), { backend: 'wasm' });
  const [vit, cnn] = [await session(manifest.programs['vit-tiny'].file), await session(manifest.programs['cnn-cbam'].file)];
  const images = Uint8Array.from(atob(evalSet.images_b64), (character) => character.charCodeAt(0));
  return { evalSet, images, vit, cnn, loadMs: performance.now() - started };
}

/** pixel_values of images [first, first + count): uint8 / 255. */
function pixelValues(loaded: Loaded, first: number, count: number): Tensor {
  const size = loaded.evalSet.image_size;
  const floats = 3 * size * size;
  const data = Float32Array.from(loaded.images.subarray(first * floats, (first + count) * floats), (byte) => byte / 255);
  return tensor('f32', [count, 3, size, size], data);
}

async function runModel(session: Session, pixels: Tensor): Promise<{ outputs: Outputs; ms: number }> {
  const started = performance.now();
  const results = await session.run({ pixel_values: pixels });
  const ms = performance.now() - started;
  return { outputs: Object.fromEntries(Object.entries(results).map(([name, value]) => [name, value.data as Float32Array])), ms };
}

function showImage(loaded: Loaded, index: number, vit: VitImageResult, cnn: CnnImageResult, times: { vit: number; cnn: number }): void {
  const { evalSet } = loaded;
  const item = evalSet.items[index];
  const image = imagePixels(loaded.images, index, evalSet.image_size);
  const name = (label: number) => evalSet.class_names[label];
  const verdict = (prediction: number) => (prediction === item.label ? '✓' : '✗');
  page.vitSummary.textContent = `predicts ${name(vit.prediction)} ${verdict(vit.prediction)} · layer 0 mean ${percent(vit.masses[0][VIT.heads])} in box · ${times.vit.toFixed(1)} ms`;
  page.cnnSummary.textContent = `predicts ${name(cnn.prediction)} ${verdict(cnn.prediction)} · CBAM 1 ${percent(cnn.masses[0])} in box · ${times.cnn.toFixed(1)} ms`;
  page.vitMaps.replaceChildren(...vit.maps.flatMap((layer, l) => layer.map((map, h) => mapFigure(image, map, VIT.grid, item.box, `L${l} H${h} ${percent(vit.masses[l][h])}`))));
  page.cnnMaps.replaceChildren(...cnn.spatialMaps.map((map, index) => mapFigure(image, map, index === 0 ? 16 : 8, item.box, `CBAM ${index + 1} ${percent(cnn.masses[index])}`)));
  page.channelBars.replaceChildren(...cnn.channelMaps.map((map, index) => channelBars(map, `CBAM ${index + 1}`)));
}

async function showIndex(loaded: Loaded, index: number): Promise<void> {
  const item = loaded.evalSet.items[index];
  const pixels = pixelValues(loaded, index, 1);
  const [vitRun, cnnRun] = [await runModel(loaded.vit, pixels), await runModel(loaded.cnn, pixels)];
  const size = loaded.evalSet.image_size;
  const [vit, cnn] = [vitImageResult(vitRun.outputs, 0, item.box, size), cnnImageResult(cnnRun.outputs, 0, item.box, size)];
  showImage(loaded, index, vit, cnn, { vit: vitRun.ms, cnn: cnnRun.ms });
  page.status.textContent = `image ${index}: label ${loaded.evalSet.class_names[item.label]} · torch predicts ViT ${loaded.evalSet.class_names[item.vit_pred]}, CNN ${loaded.evalSet.class_names[item.cnn_pred]} · wasm, loaded in ${loaded.loadMs.toFixed(0)} ms`;
  publish({ index, vit: { prediction: vit.prediction, masses: vit.masses, runMs: vitRun.ms }, cnn: { prediction: cnn.prediction, masses: cnn.masses, runMs: cnnRun.ms } });
}

/** Both models on every eval image in one batch each. */
async function scoreAll(loaded: Loaded): Promise<ShapesTotals> {
  const { evalSet } = loaded;
  const count = evalSet.items.length;
  const pixels = pixelValues(loaded, 0, count);
  const [vitRun, cnnRun] = [await runModel(loaded.vit, pixels), await runModel(loaded.cnn, pixels)];
  const vitMass = Array.from({ length: VIT.layers }, () => new Array<number>(VIT.heads + 1).fill(0));
  const cnnMass = [0, 0];
  let [vitCorrect, cnnCorrect, vitAgrees, cnnAgrees] = [0, 0, 0, 0];
  evalSet.items.forEach((item, row) => {
    const vit = vitImageResult(vitRun.outputs, row, item.box, evalSet.image_size);
    const cnn = cnnImageResult(cnnRun.outputs, row, item.box, evalSet.image_size);
    vit.masses.forEach((layer, l) => layer.forEach((mass, h) => (vitMass[l][h] += mass / count)));
    cnn.masses.forEach((mass, index) => (cnnMass[index] += mass / count));
    [vitCorrect, cnnCorrect] = [vitCorrect + Number(vit.prediction === item.label), cnnCorrect + Number(cnn.prediction === item.label)];
    [vitAgrees, cnnAgrees] = [vitAgrees + Number(vit.prediction === item.vit_pred), cnnAgrees + Number(cnn.prediction === item.cnn_pred)];
  });
  return { images: count, vitCorrect, cnnCorrect, vitAgrees, cnnAgrees, vitMass, cnnMass, vitMs: vitRun.ms, cnnMs: cnnRun.ms };
}

function showTotals(loaded: Loaded, totals: ShapesTotals): void {
  const torch = loaded.evalSet.torch;
  const torchVit = (layer: number, head: number | 'mean') => torch['vit-tiny'].attention.find((entry) => entry.layer === layer && entry.head === head)?.mass_in_box ?? NaN;
  const rows: string[][] = [['', 'Ladon', 'torch']];
  rows.push(['ViT accuracy', percent(totals.vitCorrect / totals.images), percent(torch['vit-tiny'].accuracy)]);
  rows.push(['CNN accuracy', percent(totals.cnnCorrect / totals.images), percent(torch['cnn-cbam'].accuracy)]);
  for (let layer = 0; layer < VIT.layers; layer++) {
    for (let head = 0; head <= VIT.heads; head++) rows.push([`ViT L${layer} ${head === VIT.heads ? 'mean' : `H${head}`} in box`, percent(totals.vitMass[layer][head]), percent(torchVit(layer, head === VIT.heads ? 'mean' : head))]);
  }
  totals.cnnMass.forEach((mass, index) => rows.push([`CBAM ${index + 1} spatial in box`, percent(mass), percent(torch['cnn-cbam'].attention[index].mass_in_box)]));
  rows.push(['target box area (uniform map)', percent(loaded.evalSet.area_fraction), '']);
  rows.push([`batch of ${totals.images}, wasm`, `ViT ${totals.vitMs.toFixed(0)} ms · CNN ${totals.cnnMs.toFixed(0)} ms`, '']);
  page.totals.replaceChildren(table(rows));
}

let snapshot: ShapesSnapshot = { status: 'loading', runs: 0 };

function publish(update: Partial<ShapesSnapshot>): void {
  snapshot = { ...snapshot, status: 'ready', runs: snapshot.runs + (update.index === undefined ? 0 : 1), ...update };
  window.ladonShapes = snapshot;
}

function fail(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  page.status.textContent = `error: ${message}`;
  page.status.classList.add('error');
  window.ladonShapes = { ...snapshot, status: 'error', error: message };
}

async function start(): Promise<void> {
  const loaded = await load();
  const count = loaded.evalSet.items.length;
  const go = (index: number) => {
    const wrapped = ((index % count) + count) % count;
    page.index.value = String(wrapped);
    showIndex(loaded, wrapped).catch(fail);
  };
  page.index.addEventListener('change', () => go(Number(page.index.value) || 0));
  page.previous.addEventListener('click', () => go(Number(page.index.value) - 1));
  page.next.addEventListener('click', () => go(Number(page.index.value) + 1));
  page.random.addEventListener('click', () => go(Math.floor(Math.random() * count)));
  page.scoreAll.addEventListener('click', () => {
    page.scoreAll.disabled = true;
    scoreAll(loaded)
      .then((totals) => {
        showTotals(loaded, totals);
        publish({ totals });
      })
      .catch(fail)
      .finally(() => (page.scoreAll.disabled = false));
  });
  snapshot = { ...snapshot, loadMs: loaded.loadMs };
  go(Number(new URLSearchParams(location.search).get('image') ?? 0));
}

start().catch(fail);
