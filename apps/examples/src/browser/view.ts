/** DOM rendering of the demo: the token strip with predictions and the head cards. */
import type { Tensor } from '@ladon/runtime';
import { headName, headRole, type HeadScores } from '../shared/head-scores.js';
import type { Vocabulary } from '../shared/vocabulary.js';
import { drawHeatmap } from './heatmap.js';

/** A head to show: its scores and its weights for batch row 0. */
export interface HeadView {
  readonly scores: HeadScores;
  readonly weights: Float32Array;
}

/** The `seq`×`seq` weights of `head` in batch row 0 of attention [1, heads, seq, seq]. */
export function headWeights(attention: Tensor, head: number): Float32Array {
  const seq = attention.shape[2];
  return (attention.data as Float32Array).subarray(head * seq * seq, (head + 1) * seq * seq);
}

function cell(text: string, className?: string, title?: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.textContent = text;
  if (className) span.className = className;
  if (title) span.title = title;
  return span;
}

/**
 * Three rows: position, input symbol, and the model's prediction for that
 * position (made at the previous one; green when it equals the input). The
 * last column is the prediction after the last input token.
 */
export function renderTokens(container: HTMLElement, ids: readonly number[], predictions: readonly number[], vocabulary: Vocabulary): void {
  const symbol = (id: number): string => vocabulary.symbols[id] ?? '?';
  const columns: HTMLSpanElement[] = [cell('', 'caption'), cell('input', 'caption'), cell('predicted', 'caption')];
  for (let position = 0; position <= ids.length; position++) {
    const predicted = position > 0 ? predictions[position - 1] : undefined;
    const actual = ids[position];
    const className = actual === undefined ? 'next' : predicted === actual ? 'hit' : 'miss';
    columns.push(cell(String(position), 'position'));
    columns.push(cell(actual === undefined ? '·' : symbol(actual)));
    columns.push(cell(predicted === undefined ? '' : symbol(predicted), className, actual === undefined ? 'the predicted next symbol' : undefined));
  }
  container.replaceChildren(...columns);
}

function headCard(view: HeadView, seq: number, selected: boolean, onSelect: () => void): HTMLElement {
  const card = document.createElement('div');
  card.className = selected ? 'head-card selected' : 'head-card';
  card.dataset.head = headName(view.scores);
  const title = document.createElement('div');
  title.append(`${headName(view.scores)} · `, cell(headRole(view.scores), 'role'));
  const canvas = document.createElement('canvas');
  drawHeatmap(canvas, view.weights, seq, { cellSize: Math.max(1, Math.floor(180 / seq)) });
  const { previousToken, induction, bos } = view.scores;
  const numbers = document.createElement('div');
  numbers.textContent = `prev ${previousToken.toFixed(2)} · ind ${induction.toFixed(2)} · BOS ${bos.toFixed(2)}`;
  card.append(title, canvas, numbers);
  card.addEventListener('click', onSelect);
  return card;
}

/** One card per head (a small heatmap, its scores and role); clicking a card selects that head. */
export function renderHeadCards(container: HTMLElement, views: readonly HeadView[], selected: { layer: number; head: number }, onSelect: (layer: number, head: number) => void): void {
  const seq = Math.round(Math.sqrt(views[0]?.weights.length ?? 0));
  const cards = views.map((view) => {
    const isSelected = view.scores.layer === selected.layer && view.scores.head === selected.head;
    return headCard(view, seq, isSelected, () => onSelect(view.scores.layer, view.scores.head));
  });
  container.replaceChildren(...cards);
}
