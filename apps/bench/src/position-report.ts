/** The position section of the report: speed, memory and the targets of the position cases. */
import type { PositionOutcome } from './position-bench.js';
import { formatBytes, formatError, formatMs, formatRatio, markdownTable } from './report-format.js';
import type { TargetCheck } from './report-tables.js';

function ratio(outcome: PositionOutcome): number | undefined {
  const { ladon, ort } = outcome;
  return ladon.timing && ort.timing ? ort.timing.medianMs / ladon.timing.medianMs : undefined;
}

function ladonMemory(outcome: PositionOutcome): string {
  const { arena, largestBufferElements } = outcome.ladon;
  if (!arena || largestBufferElements === undefined) return '—';
  const square = largestBufferElements >= outcome.squareElements ? `an intermediate of ${largestBufferElements} elements (≥ S²)` : `largest intermediate ${largestBufferElements} elements (< S² = ${outcome.squareElements})`;
  return `scratch ${formatBytes(arena.scratchBytes)}; ${square}`;
}

function ortMemory(outcome: PositionOutcome): string {
  const growth = outcome.ort.rssGrowthBytes;
  const tensors = `${outcome.unfusedSquareValues} [.., S, S] values in the unfused graph (${formatBytes(outcome.positionCase.spec.heads * outcome.squareElements * 4)} each)`;
  return growth === undefined ? tensors : `RSS +${formatBytes(growth)} over its first run; ${tensors}`;
}

/** Per position case and thread count: both medians, the ratio, memory, and the error of Ladon against onnxruntime-web. */
export function positionTable(outcomes: readonly PositionOutcome[]): string {
  const rows = outcomes.map((outcome) => {
    const { ladon, ort } = outcome;
    const time = (side: PositionOutcome['ladon'] | PositionOutcome['ort']): string => (side.timing ? `${formatMs(side.timing.medianMs)} (${side.timing.runs} runs)` : `not available: ${side.unavailable}`);
    const r = ratio(outcome);
    return [outcome.positionCase.label, String(outcome.threads), time(ladon), time(ort), r === undefined ? '—' : formatRatio(r), ladonMemory(outcome), ortMemory(outcome), outcome.maxAbsError === undefined ? '—' : formatError(outcome.maxAbsError)];
  });
  return markdownTable(['case', 'threads', 'Ladon ms', 'onnxruntime-web ms', 'vs ORT', 'Ladon memory', 'onnxruntime-web memory', 'max abs err vs ORT'], rows);
}

/** The position targets: ≥ 1.5× onnxruntime-web; scratch under the limit with no S² buffer. */
export function positionTargets(outcomes: readonly PositionOutcome[]): TargetCheck[] {
  return outcomes.flatMap((outcome) => {
    const { positionCase, ladon } = outcome;
    const r = ratio(outcome);
    const checks: TargetCheck[] = [{ target: `${positionCase.label}, ${outcome.threads} thread${outcome.threads === 1 ? '' : 's'}: Ladon ≥ ${positionCase.targetVsOrt}× onnxruntime-web`, measured: r === undefined ? 'no ratio' : formatRatio(r), met: r !== undefined && r >= positionCase.targetVsOrt }];
    const limit = positionCase.scratchTargetBytes;
    if (limit !== undefined) {
      const scratch = ladon.arena?.scratchBytes;
      const noSquare = ladon.largestBufferElements !== undefined && ladon.largestBufferElements < outcome.squareElements;
      checks.push({ target: `${positionCase.label}, ${outcome.threads} thread${outcome.threads === 1 ? '' : 's'}: scratch < ${formatBytes(limit)}, no buffer of S² elements`, measured: scratch === undefined ? 'did not run' : ladonMemory(outcome), met: scratch !== undefined && scratch < limit && noSquare });
    }
    return checks;
  });
}
