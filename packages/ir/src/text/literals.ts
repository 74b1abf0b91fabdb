/**
 * Tensor data literals in the text form: `[1, 2.5, -inf]` with the shortest
 * decimal that reads back to the same f32 (or f16) bits; i64 as integers;
 * bool as `true` / `false`.
 */
import { isIntDType, type DType } from '../dtype.js';
import { f16BitsToF32, f32ToF16Bits } from '../f16.js';
import { tensor, type Tensor } from '../tensor.js';

/** The shortest decimal that rounds back to the same f32. */
export function shortestF32(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Object.is(value, -0)) return '-0';
  const target = Math.fround(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = Number(target.toPrecision(digits)).toString();
    if (Math.fround(Number(text)) === target) return text;
  }
  return String(target);
}

function shortestF16(bits: number): string {
  const value = f16BitsToF32(bits);
  if (!Number.isFinite(value)) return shortestF32(value);
  for (let digits = 1; digits <= 6; digits++) {
    const text = Number(value.toPrecision(digits)).toString();
    if (f32ToF16Bits(Number(text)) === bits) return text;
  }
  return String(value);
}

/** Formats a tensor's data as a flat literal list. */
export function formatTensorData(value: Tensor): string {
  const items: string[] = [];
  const data = value.data;
  for (let i = 0; i < data.length; i++) {
    switch (value.dtype) {
      case 'f32':
        items.push(shortestF32(data[i] as number));
        break;
      case 'f16':
        items.push(shortestF16(data[i] as number));
        break;
      case 'bool':
        items.push(data[i] ? 'true' : 'false');
        break;
      default:
        items.push(String(data[i]));
    }
  }
  return `[${items.join(', ')}]`;
}

/** Parses one literal element written by {@link formatTensorData}. */
export function parseLiteral(text: string): number | bigint | boolean | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'inf' || text === '+inf') return Infinity;
  if (text === '-inf') return -Infinity;
  if (text === 'nan') return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** Builds a tensor from parsed literal elements; returns an error message when they do not fit. */
export function tensorFromLiterals(dtype: DType, shape: readonly number[], items: readonly string[]): Tensor | string {
  const size = shape.reduce((product, dim) => product * dim, 1);
  if (items.length !== size) return `${dtype}[${shape.join(', ')}] needs ${size} values, got ${items.length}`;
  if (dtype === 'i64') {
    const data = new BigInt64Array(size);
    for (let i = 0; i < size; i++) {
      if (!/^[+-]?\d+$/.test(items[i])) return `'${items[i]}' is not an integer`;
      data[i] = BigInt(items[i]);
    }
    return tensor('i64', shape, data);
  }
  const values: number[] = [];
  for (const item of items) {
    const parsed = parseLiteral(item);
    if (parsed === undefined) return `'${item}' is not a number`;
    if (dtype === 'bool' && typeof parsed !== 'boolean') return `'${item}' is not true or false`;
    if (dtype !== 'bool' && typeof parsed === 'boolean') return `'${item}' is not a number`;
    if (isIntDType(dtype) && !Number.isInteger(parsed)) return `'${item}' is not an integer`;
    values.push(Number(parsed));
  }
  return tensor(dtype, shape, values);
}
