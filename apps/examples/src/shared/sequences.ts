/**
 * Sequences of the induction task and the positions an induction head
 * should attend to. Browser-safe.
 */

/** A segment `ids[sourceStart .. sourceStart+length)` repeated at `repeatStart`. */
export interface RepeatedSegment {
  readonly sourceStart: number;
  readonly repeatStart: number;
  readonly length: number;
}

/** A query position and the key position an induction head would attend to from it. */
export interface InductionPair {
  readonly query: number;
  readonly key: number;
}

/** A task sequence: BOS, random filler, a segment of distinct symbols and its verbatim repeat. */
export interface TaskSequence {
  readonly ids: number[];
  readonly segment: RepeatedSegment;
}

function shuffled(values: number[], uniform: () => number): number[] {
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/**
 * Makes a sequence the way the model was trained: `length` tokens starting
 * with BOS, a segment of `segmentLength` distinct symbols placed at random
 * and repeated later, and filler drawn from the symbols outside the segment.
 */
export function makeRepeatedSequence(uniform: () => number, length: number, segmentLength: number, symbolCount: number, bosId: number): TaskSequence {
  if (2 * segmentLength > length - 1) throw new Error(`a segment of ${segmentLength} cannot repeat in ${length} tokens`);
  const segmentIds = shuffled(Array.from({ length: symbolCount }, (_, id) => id), uniform).slice(0, segmentLength);
  const fillerIds = Array.from({ length: symbolCount }, (_, id) => id).filter((id) => !segmentIds.includes(id));
  const spare = length - 1 - 2 * segmentLength;
  const before = Math.floor(uniform() * (spare + 1));
  const gap = Math.floor(uniform() * (spare - before + 1));
  const sourceStart = 1 + before;
  const repeatStart = sourceStart + segmentLength + gap;
  const ids = Array.from({ length }, () => fillerIds[Math.floor(uniform() * fillerIds.length)]);
  ids[0] = bosId;
  segmentIds.forEach((id, offset) => {
    ids[sourceStart + offset] = id;
    ids[repeatStart + offset] = id;
  });
  return { ids, segment: { sourceStart, repeatStart, length: segmentLength } };
}

/**
 * The induction pairs of a known repeat (the README's definition): from
 * each position i inside the repeat to i - (repeatStart - sourceStart) + 1,
 * the token after the earlier occurrence of the current token.
 */
export function inductionPairsOfSegment(segment: RepeatedSegment): InductionPair[] {
  const offset = segment.repeatStart - segment.sourceStart;
  return Array.from({ length: segment.length }, (_, index) => {
    const query = segment.repeatStart + index;
    return { query, key: query - offset + 1 };
  });
}

/**
 * The induction pairs of any sequence: from each position whose token
 * occurred before (BOS excluded) to the position after its latest earlier
 * occurrence.
 */
export function inductionPairsOfRepeats(ids: readonly number[], bosId: number): InductionPair[] {
  const lastSeen = new Map<number, number>();
  const pairs: InductionPair[] = [];
  ids.forEach((id, position) => {
    const earlier = lastSeen.get(id);
    if (earlier !== undefined && id !== bosId) pairs.push({ query: position, key: earlier + 1 });
    lastSeen.set(id, position);
  });
  return pairs;
}

/** The targets whose next token is predictable by induction: repeatStart+1 .. repeatStart+length-1. */
export function repeatedTargets(segment: RepeatedSegment): number[] {
  return Array.from({ length: segment.length - 1 }, (_, index) => segment.repeatStart + 1 + index);
}
