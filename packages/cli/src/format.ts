/** Text formatting shared by the commands: numbers, tensor summaries, tables. */
import { formatType, toNumbers, type Tensor } from '@ladon/ir';

/** A number in a short form: `0`, `2.4e-7`, `0.0123`, `inf`. */
export function shortNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude < 1e-3 || magnitude >= 1e6 ? value.toExponential(2) : String(Number(value.toPrecision(4)));
}

/** `name: f32[2, 16, 64] = [0.1, -0.25, ...]` with the first `count` values. */
export function summarizeTensor(name: string, value: Tensor, count = 8): string {
  const values = toNumbers(value.data.length > count ? { ...value, data: value.data.slice(0, count) } as Tensor : value);
  const shown = values.map((item) => (value.dtype === 'f32' || value.dtype === 'f16' ? shortNumber(item) : String(item)));
  const more = value.data.length > count ? `, ... (${value.data.length} values)` : '';
  return `${name}: ${formatType(value)} = [${shown.join(', ')}${more}]`;
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd())
    .join('\n');
}

/** The shortest decimal text that reads back as the same f32 (`2.1`, not `2.0999999046325684`). */
export function formatF32(value: number): string {
  if (!Number.isFinite(value)) return shortNumber(value);
  for (let digits = 1; digits < 9; digits++) {
    const text = String(Number(value.toPrecision(digits)));
    if (Math.fround(Number(text)) === value) return text;
  }
  return String(value);
}

/** `1 case`, `2 cases`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
