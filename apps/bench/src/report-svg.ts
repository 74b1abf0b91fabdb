/**
 * The results chart, written by hand as SVG: one group of horizontal bars
 * per case (GFLOP/s of each runtime, higher is better, median time at the
 * end of each bar), and the long-context run as a last group.
 */
import { formatMs, formatRate, formatDuration } from './report-format.js';
import type { CaseOutcome, RunnerOutcome } from './measure-case.js';
import { fastestOf } from './report-tables.js';
import type { BenchResults } from './results.js';
import type { RuntimeFamily } from './runner.js';
import { gflopsPerSecond } from './statistics.js';

interface Bar {
  readonly runtime: string;
  /** GFLOP/s, or undefined when the runtime did not run (then `note` says why). */
  readonly rate?: number;
  readonly note: string;
}

interface BarGroup {
  readonly title: string;
  readonly bars: readonly Bar[];
}

const WIDTH = 1000;
const LABEL_WIDTH = 330;
const BAR_AREA = 480;
const BAR_HEIGHT = 16;
const BAR_GAP = 4;
const GROUP_GAP = 18;
const TITLE_HEIGHT = 18;
const COLORS: Readonly<Record<string, string>> = { Ladon: '#d9480f', onnxruntime: '#1c7ed6', tfjs: '#2b8a3e' };

function colorOf(runtime: string): string {
  const key = Object.keys(COLORS).find((prefix) => runtime.startsWith(prefix));
  return key ? COLORS[key] : '#868e96';
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function shorten(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** The runners a case's group shows: Ladon's, the fastest onnxruntime variants, tfjs (each at its thread counts). */
function chartedRunners(outcome: CaseOutcome, threadCounts: readonly number[]): RunnerOutcome[] {
  const own = (family: RuntimeFamily): RunnerOutcome[] => outcome.runners.filter((runner) => runner.family === family);
  const fastest = (family: RuntimeFamily, counts: readonly number[]): RunnerOutcome[] =>
    counts.flatMap((threads) => fastestOf(outcome, family, threads) ?? outcome.runners.filter((runner) => runner.family === family && runner.threads === threads).slice(0, 1));
  return [...own('ladon'), ...own('ladon-plain-simd'), ...fastest('onnxruntime-web', threadCounts), ...fastest('onnxruntime-node', [1]), ...own('tfjs')];
}

function barOf(outcome: CaseOutcome, runner: RunnerOutcome): Bar {
  const runtime = `${runner.runner}, ${runner.threads}T`;
  if (!runner.timing) return { runtime, note: `not available: ${runner.unavailable ?? 'no result'}` };
  return { runtime, rate: gflopsPerSecond(outcome.flops, runner.timing.medianMs), note: `${formatMs(runner.timing.medianMs)} ms` };
}

function groupsOf(results: BenchResults): BarGroup[] {
  const groups = results.cases.map((outcome) => ({
    title: outcome.benchCase.label,
    bars: chartedRunners(outcome, results.plan.threadCounts).map((runner) => barOf(outcome, runner)),
  }));
  if (!results.longContext) return groups;
  const { longContext, flops, ladon, ort } = results.longContext;
  const long = (runtime: string, ms: number | undefined, reason: string | undefined): Bar =>
    ms === undefined ? { runtime, note: `cannot run: ${reason ?? 'no result'}` } : { runtime, rate: gflopsPerSecond(flops, ms), note: formatDuration(ms) };
  groups.push({
    title: `long context: attention S=${longContext.spec.seq} H=${longContext.spec.heads} D=${longContext.spec.headSize}`,
    bars: [long(`Ladon (wasm), ${ladon.threads}T`, ladon.ms, ladon.unavailable), long('onnxruntime-web, 1T', ort.ms, ort.cannotRun)],
  });
  return groups;
}

function barSvg(bar: Bar, y: number, maxRate: number): string {
  const label = `<text x="${LABEL_WIDTH - 8}" y="${y + 12}" text-anchor="end">${escapeXml(bar.runtime)}</text>`;
  if (bar.rate === undefined) {
    return `${label}<text x="${LABEL_WIDTH + 4}" y="${y + 12}" fill="#868e96">${escapeXml(shorten(bar.note, 95))}</text>`;
  }
  const length = Math.max(1, (bar.rate / maxRate) * BAR_AREA);
  const value = `${formatRate(bar.rate)} GFLOP/s · ${bar.note}`;
  return (
    `${label}<rect x="${LABEL_WIDTH}" y="${y}" width="${length.toFixed(1)}" height="${BAR_HEIGHT}" fill="${colorOf(bar.runtime)}"/>` +
    `<text x="${(LABEL_WIDTH + length + 6).toFixed(1)}" y="${y + 12}">${escapeXml(value)}</text>`
  );
}

/** The chart as an SVG document. */
export function resultsSvg(results: BenchResults): string {
  const groups = groupsOf(results);
  const rates = groups.flatMap((group) => group.bars.map((bar) => bar.rate ?? 0));
  const maxRate = Math.max(1, ...rates);
  const parts: string[] = [];
  let y = 46;
  for (const group of groups) {
    parts.push(`<text x="12" y="${y + 12}" font-weight="bold">${escapeXml(group.title)}</text>`);
    y += TITLE_HEIGHT + 2;
    for (const bar of group.bars) {
      parts.push(barSvg(bar, y, maxRate));
      y += BAR_HEIGHT + BAR_GAP;
    }
    y += GROUP_GAP;
  }
  const title = `GFLOP/s, higher is better: median of interleaved warm runs; nT = n threads (${escapeXml(results.machine.cpuModel)}, Node ${results.machine.node})`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${y}" fill="#ffffff"/>`,
    `<text x="12" y="24" font-size="13">${shorten(title, 130)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
