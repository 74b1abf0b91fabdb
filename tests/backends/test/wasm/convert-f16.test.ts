/**
 * f16 <-> f32 casts on wasm: every one of the 65536 halves converts to the
 * f32 the IR's f16BitsToF32 gives, and random f32 values (normal,
 * subnormal-half range, overflow, ties) round to the f16 bits f32ToF16Bits
 * gives (round to nearest even).
 */
import { compileProgram } from '@ladon/compiler';
import { f16BitsToF32, f32ToF16Bits, GraphBuilder, seededRandom, tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { WasmSession } from '@ladon/runtime';

async function castSession(from: 'f16' | 'f32', to: 'f16' | 'f32'): Promise<WasmSession> {
  const g = new GraphBuilder('cast');
  g.output(g.op('Cast', [g.input('x', from, ['n'])], { to: to === 'f32' ? 1 : 10 }), 'y');
  return WasmSession.create(await compileProgram(g.build(), { target: 'wasm', passes: [], relaxedSimd: false }));
}

describe('f16 casts on wasm', () => {
  it('widen every half exactly', async () => {
    const session = await castSession('f16', 'f32');
    const halves = Uint16Array.from({ length: 65536 }, (_, bits) => bits);
    const { y } = await session.run({ x: tensor('f16', [65536], halves) });
    const mismatches = Array.from(halves).filter((bits, i) => {
      const expected = f16BitsToF32(bits);
      const actual = (y.data as Float32Array)[i];
      return Number.isNaN(expected) ? !Number.isNaN(actual) : !Object.is(Math.fround(expected), actual);
    });
    expect(mismatches).toEqual([]);
  });

  it('narrow f32 to the nearest half, ties to even', async () => {
    const session = await castSession('f32', 'f16');
    const random = seededRandom(16);
    const specials = [0, -0, 1, -1, 65504, 65520, 1e6, -Infinity, 2 ** -24, 2 ** -25, 3 * 2 ** -25, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 6e-8, 1e-10];
    const values = Float32Array.from([...specials, ...Array.from({ length: 20000 }, () => (random() - 0.5) * 2 ** Math.floor(random() * 50 - 30))]);
    const { y } = await session.run({ x: tensor('f32', [values.length], values) });
    const wrong = Array.from(values).filter((value, i) => (y.data as Uint16Array)[i] !== f32ToF16Bits(value));
    expect(wrong).toEqual([]);
  });
});
