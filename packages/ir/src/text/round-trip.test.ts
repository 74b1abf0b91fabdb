import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../builder.js';
import { f32ToF16Bits } from '../f16.js';
import { interpret } from '../interpret.js';
import { tensor } from '../tensor.js';
import { parseGraph } from './parse.js';
import { printGraph } from './print.js';

describe('text form', () => {
  it('prints one line a node in the documented form', () => {
    const g = new GraphBuilder('scores');
    const q = g.input('q', 'f32', ['batch', 12, 'seq', 64]);
    const k = g.input('k', 'f32', ['batch', 12, 'seq', 64]);
    const kt = g.op('Transpose', [k], { perm: [0, 1, 3, 2] });
    g.output(g.op('MatMul', [q, kt]), 'scores');
    const text = printGraph(g.build());
    expect(text).toContain('%scores = MatMul(%q, %0) : f32[batch, 12, seq, seq]');
    expect(text).toContain('%0 = Transpose(%k) {perm = [0, 1, 3, 2]} : f32[batch, 12, 64, seq]');
  });

  it('round-trips every dtype, special floats, quoted names, omitted slots and node names', () => {
    const g = new GraphBuilder('odd names');
    const x = g.input('onnx::input/0', 'f16', ['batch*seq', 4]);
    const special = g.constant(tensor('f32', [5], [Infinity, -Infinity, NaN, -0, 1e-30]), 'special');
    const flags = g.constant(tensor('bool', [2], [true, false]), 'flags');
    const big = g.constant(tensor('i64', [1], [2n ** 62n]), 'big');
    const halves = g.constant(tensor('f16', [2], new Uint16Array([f32ToF16Bits(0.1), f32ToF16Bits(-65504)])), 'halves');
    const cast = g.op('Cast', [x], { to: 1 }, '/model/Cast');
    g.output(cast, 'out');
    void special;
    void flags;
    void big;
    void halves;
    const q = g.input('q', 'f32', [1, 2, 3, 4]);
    const [y, , , weights] = g.opMulti('Attention', [q, q, q, undefined, undefined, undefined], { softcap: 2.5, qk_matmul_output_mode: 3 }, [true, false, false, true]);
    g.output(y!, 'y');
    g.output(weights!, 'w');
    const graph = g.build();
    const text = printGraph(graph, { nodeNames: true });
    expect(text).toContain('input %"onnx::input/0" : f16[batch*seq, 4]');
    expect(text).toContain('init %special : f32[5] = [inf, -inf, nan, -0, 1e-30]');
    expect(text).toContain('%y, _, _, %w = Attention(%q, %q, %q, _, _, _)');
    expect(text).toContain('@"/model/Cast"');
    const reparsed = parseGraph(text);
    expect(printGraph(reparsed, { nodeNames: true })).toBe(text);
    expect(reparsed.initializers.get('big')!.data[0]).toBe(2n ** 62n);
  });

  it('a reparsed graph computes the same outputs', () => {
    const g = new GraphBuilder('mlp');
    const x = g.input('x', 'f32', ['n', 3]);
    const w = g.constant(tensor('f32', [3, 2], [0.1, -0.2, 0.3, 0.4, -0.5, 0.6]), 'w');
    g.output(g.op('Gelu', [g.op('MatMul', [x, w])], { approximate: 'tanh' }), 'y');
    const graph = g.build();
    const feeds = { x: tensor('f32', [2, 3], [1, 2, 3, -1, 0.5, 2]) };
    const again = parseGraph(printGraph(graph));
    expect(interpret(again, feeds).y.data).toEqual(interpret(graph, feeds).y.data);
  });
});
