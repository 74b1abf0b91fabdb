import { GraphBuilder } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { referenceBackend, selectBackend } from './backends.js';
import { UsageError } from './errors.js';
import { checkPassName, compileGraph, PASS_NAMES } from './pipeline.js';
import { ProgressLine } from './progress.js';

describe('compileGraph', () => {
  it('runs the compiler pipeline on a copy and reports each pass', () => {
    const g = new GraphBuilder('scores');
    const q = g.input('q', 'f32', ['batch', 2, 'seq', 8]);
    const kT = g.op('Transpose', [q], { perm: [0, 1, 3, 2] });
    g.output(g.op('MatMul', [g.op('Softmax', [g.op('Div', [g.op('MatMul', [q, kT]), g.scalar(2)])], { axis: -1 }), q]), 'y');
    const graph = g.build();
    const dumps: string[] = [];
    const result = compileGraph(graph, { printAfter: 'fuse-attention', onPrintAfter: (pass, text) => dumps.push(`${pass}:${text}`) });
    expect(result.passes).toEqual(PASS_NAMES);
    expect(result.graph.nodes.map((node) => node.op)).toEqual(['Attention']);
    expect(graph.nodes.map((node) => node.op)).toContain('Softmax');
    expect(result.reports.find((report) => report.name === 'fuse-attention')!.changes).toEqual({ fused: 1 });
    expect(dumps).toHaveLength(1);
    expect(dumps[0]).toMatch(/^fuse-attention:graph scores/);
  });

  it('rejects an unknown pass name, listing the available ones', () => {
    expect(() => checkPassName('x')).toThrow(UsageError);
    expect(() => checkPassName('x')).toThrow(/available passes: fold-constants, fold-shapes/);
  });
});

describe('selectBackend', () => {
  it('maps reference to the interpreter and the others to runtime sessions', () => {
    expect(selectBackend('reference')).toBe(referenceBackend);
    expect(selectBackend('wasm').name).toBe('wasm');
    expect(selectBackend('auto').name).toBe('auto');
  });
});

describe('ProgressLine', () => {
  it('redraws one line on a terminal and prints nothing elsewhere', () => {
    const written: string[] = [];
    const terminal = new ProgressLine({ write: (text: string) => written.push(text), isTTY: true }, 2);
    terminal.update(1, 'case_a');
    terminal.done();
    expect(written).toEqual(['\r[1/2] case_a\x1b[K', '\r\x1b[K']);
    const piped: string[] = [];
    const pipe = new ProgressLine({ write: (text: string) => piped.push(text) }, 2);
    pipe.update(1, 'case_a');
    pipe.done();
    expect(piped).toEqual([]);
  });
});
