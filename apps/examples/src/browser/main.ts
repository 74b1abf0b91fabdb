/**
 * The browser demo: type a sequence (or make one with a repeated segment),
 * run induction-2l with Ladon on WebGPU or wasm, and look at every head's
 * attention weights and the predicted next symbols.
 *
 * Query parameters: `ids=48,11,10,...` (token ids, BOS first) or
 * `text=ABC...` sets the first input; `backend=wasm|webgpu` sets the
 * backend (default: the runtime's preferred one: WebGPU on a hardware
 * adapter, else wasm); `threads=N` the wasm thread count (default: the
 * runtime's; more than 1 needs the cross-origin isolation the dev server's
 * COOP/COEP headers give).
 */
import { mulberry32 } from '../random.js';
import { DEMO_FILES, type DemoExamples, type DemoManifest } from '../shared/demo-assets.js';
import { headName, scoreHeads } from '../shared/head-scores.js';
import { predictNextTokens } from '../shared/predictions.js';
import { inductionPairsOfRepeats, makeRepeatedSequence, type InductionPair } from '../shared/sequences.js';
import { decodeIds, encodeText, parseVocabulary, type EncodedText, type Vocabulary } from '../shared/vocabulary.js';
import { DemoModel, runWithFallback, type DemoBackend, type ModelRun } from './demo-model.js';
import type { DemoSnapshot } from './demo-snapshot.js';
import { cellAt, drawHeatmap, renderLegend, type HeatmapStyle } from './heatmap.js';
import { headWeights, renderHeadCards, renderTokens, type HeadView } from './view.js';

interface Assets {
  readonly manifest: DemoManifest;
  readonly vocabulary: Vocabulary;
  readonly examples: DemoExamples;
}

const SYMBOL_COUNT = 48;
const RANDOM_SEQUENCE_LENGTH = 48;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

const page = {
  sequence: element<HTMLInputElement>('sequence'),
  run: element<HTMLButtonElement>('run'),
  repeat: element<HTMLButtonElement>('repeat'),
  inputNote: element<HTMLParagraphElement>('input-note'),
  status: element<HTMLParagraphElement>('status'),
  tokens: element<HTMLDivElement>('tokens'),
  heads: element<HTMLDivElement>('heads'),
  layer: element<HTMLSelectElement>('layer'),
  head: element<HTMLSelectElement>('head'),
  heatmap: element<HTMLCanvasElement>('heatmap'),
  cell: element<HTMLParagraphElement>('cell'),
  alphabet: element<HTMLSpanElement>('alphabet'),
  legend: element<HTMLDivElement>('legend'),
};

async function fetchJson<T>(file: string): Promise<T> {
  const response = await fetch(file);
  if (!response.ok) throw new Error(`GET ${file}: ${response.status} ${response.statusText} (did the build's precompile step run?)`);
  return (await response.json()) as T;
}

async function loadAssets(): Promise<Assets> {
  const [manifest, vocabulary, examples] = await Promise.all([
    fetchJson<DemoManifest>(DEMO_FILES.manifest),
    fetchJson<unknown>(DEMO_FILES.vocabulary).then(parseVocabulary),
    fetchJson<DemoExamples>(DEMO_FILES.examples),
  ]);
  return { manifest, vocabulary, examples };
}

function initialText(params: URLSearchParams, assets: Assets): string {
  const ids = params.get('ids');
  if (ids) return decodeIds(ids.split(',').map(Number).filter((id) => id !== assets.vocabulary.bosId), assets.vocabulary);
  return params.get('text') ?? decodeIds(assets.examples.ids[0].slice(1), assets.vocabulary);
}

/** What happened to the typed text on its way to tokens: upper-cased letters, skipped characters, a cut-off tail. */
function describeInputChanges({ unknown, dropped, upperCased }: EncodedText, maxTokens: number): string {
  const changes: string[] = [];
  if (upperCased > 0) changes.push(`read ${upperCased} lower-case letter${upperCased === 1 ? '' : 's'} as upper-case (the model's symbols are upper-case)`);
  if (unknown.length > 0) changes.push(`skipped characters that are not symbols: ${[...new Set(unknown)].join(' ')}`);
  if (dropped > 0) changes.push(`the model takes ${maxTokens - 1} symbols after BOS; the last ${dropped} were left out`);
  return changes.join(' · ');
}

/** Cells of the large heatmap: 4–14 px, as large as the page's width allows. */
function heatmapCellSize(tokens: number): number {
  const available = (page.heatmap.parentElement?.clientWidth ?? 640) - 16;
  return Math.max(4, Math.min(14, Math.floor(available / tokens)));
}

function preferredBackend(params: URLSearchParams): DemoBackend | 'auto' {
  const wanted = params.get('backend');
  return wanted === 'wasm' || wanted === 'webgpu' ? wanted : 'auto';
}

/** The page's state and what it does. */
class Demo {
  private model: DemoModel | undefined;
  private ids: number[] = [];
  private run: ModelRun | undefined;
  private views: HeadView[] = [];
  private marks: InductionPair[] = [];
  private selected = { layer: 1, head: 0 };
  private chosenByUser = false;
  private runs = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly assets: Assets,
    private readonly preference: DemoBackend | 'auto',
    /** Seeds the "random repeated segment" button (`?seed=N` makes it reproducible); advances per click. */
    private randomSeed: number,
    /** `?threads=N`, when given. */
    private readonly numThreads: number | undefined,
  ) {}

  /** Loads the model and runs the text in the input box. */
  async start(): Promise<void> {
    this.model = await DemoModel.load(this.assets.manifest, this.preference, this.numThreads);
    await this.runInput();
  }

  /** Runs the input box's text (queued behind any run in progress). */
  runInput(): Promise<void> {
    this.queue = this.queue.then(() => this.runNow()).catch(showError);
    return this.queue;
  }

  /** Puts a fresh sequence with a repeated segment in the input box and runs it. */
  runRandomRepeat(): Promise<void> {
    const uniform = mulberry32(this.randomSeed++);
    const segmentLength = 8 + Math.floor(uniform() * 9);
    const sequence = makeRepeatedSequence(uniform, RANDOM_SEQUENCE_LENGTH, segmentLength, SYMBOL_COUNT, this.assets.vocabulary.bosId);
    page.sequence.value = decodeIds(sequence.ids.slice(1), this.assets.vocabulary);
    return this.runInput();
  }

  /** Shows `layer`/`head` in the large heatmap. */
  select(layer: number, head: number, byUser = true): void {
    this.selected = { layer, head };
    this.chosenByUser ||= byUser;
    page.layer.value = String(layer);
    page.head.value = String(head);
    this.render();
  }

  private async runNow(): Promise<void> {
    const encoded = encodeText(page.sequence.value, this.assets.vocabulary, this.assets.manifest.maxTokens);
    const { ids } = encoded;
    page.inputNote.textContent = describeInputChanges(encoded, this.assets.manifest.maxTokens);
    page.status.textContent = `running ${ids.length} tokens on ${this.model!.backend}…`;
    const result = await runWithFallback(this.model!, this.assets.manifest, ids);
    this.model = result.model;
    this.ids = ids;
    this.run = result.run;
    this.marks = inductionPairsOfRepeats(ids, this.assets.vocabulary.bosId);
    const { attn_l0, attn_l1 } = result.run.outputs;
    const scores = [...scoreHeads(0, attn_l0, [this.marks]), ...scoreHeads(1, attn_l1, [this.marks])];
    this.views = scores.map((headScores) => ({ scores: headScores, weights: headWeights(headScores.layer === 0 ? attn_l0 : attn_l1, headScores.head) }));
    if (!this.chosenByUser) {
      const strongest = scores.filter((s) => s.layer === 1).reduce((best, s) => (s.induction > best.induction ? s : best));
      this.selected = { layer: strongest.layer, head: strongest.head };
    }
    this.runs++;
    this.select(this.selected.layer, this.selected.head, false);
  }

  private heatmapStyle(): HeatmapStyle {
    const symbols = Array.from(decodeIds(this.ids, this.assets.vocabulary));
    return { cellSize: heatmapCellSize(this.ids.length), labels: symbols, marks: this.selected.layer === 1 ? this.marks : [] };
  }

  private render(): void {
    if (!this.run) return;
    const predictions = predictNextTokens(this.run.outputs.logits, 0);
    renderTokens(page.tokens, this.ids, predictions, this.assets.vocabulary);
    renderHeadCards(page.heads, this.views, this.selected, (layer, head) => this.select(layer, head));
    const view = this.selectedView();
    if (view) drawHeatmap(page.heatmap, view.weights, this.ids.length, this.heatmapStyle());
    page.status.className = 'status';
    page.status.textContent = this.describeBackend();
    this.publish(predictions);
  }

  private selectedView(): HeadView | undefined {
    return this.views.find((view) => view.scores.layer === this.selected.layer && view.scores.head === this.selected.head);
  }

  private describeBackend(): string {
    const model = this.model!;
    const program = this.assets.manifest.programs[model.backend === 'wasm' ? 'wasm' : 'wgsl'];
    const fallback = model.fallbackReason ? ` (wasm because ${model.fallbackReason})` : '';
    const threads = model.backend === 'wasm' ? ` · ${model.threads} thread${model.threads === 1 ? '' : 's'}${crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}` : '';
    return (
      `ran on ${model.backend}${fallback}${threads} · program ${(program.bytes / 1024).toFixed(0)} KiB loaded in ${model.loadMs.toFixed(0)} ms · ` +
      `run ${this.run!.runMs.toFixed(1)} ms for ${this.ids.length} tokens`
    );
  }

  /** Describes the heatmap cell under the mouse. */
  describeCell(event: MouseEvent): void {
    const view = this.selectedView();
    const at = view && cellAt(page.heatmap, event, this.ids.length, this.heatmapStyle());
    if (!view || !at) return;
    const symbols = decodeIds(this.ids, this.assets.vocabulary);
    const weight = at.key <= at.query ? view.weights[at.query * this.ids.length + at.key].toFixed(4) : 'masked (future)';
    page.cell.textContent = `${headName(view.scores)}: query ${at.query} '${symbols[at.query]}' → key ${at.key} '${symbols[at.key]}': ${weight}`;
  }

  private publish(predictions: number[]): void {
    const model = this.model!;
    const flat = (name: string): number[] => Array.from(this.run!.outputs[name].data as Float32Array);
    window.ladonDemo = {
      status: 'ready',
      backend: model.backend,
      threads: model.threads,
      crossOriginIsolated,
      fallbackReason: model.fallbackReason,
      loadMs: model.loadMs,
      runMs: this.run!.runMs,
      runs: this.runs,
      ids: [...this.ids],
      attention: { attn_l0: flat('attn_l0'), attn_l1: flat('attn_l1') },
      predictions,
      heads: this.views.map((view) => view.scores),
      selected: { ...this.selected },
    } satisfies DemoSnapshot;
  }
}

/** Shows an error on the page and in the snapshot. */
function showError(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  page.status.className = 'status error';
  page.status.textContent = `error: ${message}`;
  window.ladonDemo = { ...emptySnapshot(), ...window.ladonDemo, status: 'error', error: message };
}

function emptySnapshot(): DemoSnapshot {
  return { status: 'loading', runs: 0, ids: [], attention: { attn_l0: [], attn_l1: [] }, predictions: [], heads: [], selected: { layer: 1, head: 0 } };
}

function wire(demo: Demo, heads: number): void {
  page.head.replaceChildren(...Array.from({ length: heads }, (_, head) => new Option(`head ${head}`, String(head))));
  page.run.addEventListener('click', () => void demo.runInput());
  page.sequence.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') void demo.runInput();
  });
  page.repeat.addEventListener('click', () => void demo.runRandomRepeat());
  page.layer.addEventListener('change', () => demo.select(Number(page.layer.value), Number(page.head.value)));
  page.head.addEventListener('change', () => demo.select(Number(page.layer.value), Number(page.head.value)));
  page.heatmap.addEventListener('mousemove', (event) => demo.describeCell(event));
}

async function main(): Promise<void> {
  window.ladonDemo = emptySnapshot();
  const params = new URLSearchParams(location.search);
  const assets = await loadAssets();
  page.alphabet.textContent = assets.vocabulary.symbols.slice(0, SYMBOL_COUNT).join('');
  renderLegend(page.legend);
  page.sequence.value = initialText(params, assets);
  const seed = Number(params.get('seed') ?? NaN);
  const threads = Number(params.get('threads'));
  const demo = new Demo(assets, preferredBackend(params), Number.isInteger(seed) ? seed : Math.floor(Math.random() * 2 ** 32), Number.isInteger(threads) && threads >= 1 ? threads : undefined);
  wire(demo, 4);
  await demo.start();
}

main().catch(showError);
