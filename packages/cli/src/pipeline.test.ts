import { Graph } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, referenceBackend, selectBackend } from './backends.js';
import { UsageError } from './errors.js';
import { checkPassName, compileGraph, PIPELINE, type Pass } from './pipeline.js';
import { ProgressLine } from './progress.js';

const renamePass = (name: string): Pass => ({
  name,
  summary: `renames the graph to ${name}`,
  run: (graph) => Object.assign(graph.clone(), { name }),
});

describe('compileGraph', () => {
  it('passes the graph through unchanged while the pipeline is empty', () => {
    const graph = new Graph('g');
    expect(PIPELINE).toEqual([]);
    expect(compileGraph(graph)).toEqual({ graph, passes: [] });
  });

  it('runs passes in order and dumps after the named one', () => {
    const dumps: string[] = [];
    const result = compileGraph(new Graph('g'), { printAfter: 'a', onPrintAfter: (pass, graph) => dumps.push(`${pass}:${graph.name}`) }, [renamePass('a'), renamePass('b')]);
    expect(result.passes).toEqual(['a', 'b']);
    expect(result.graph.name).toBe('b');
    expect(dumps).toEqual(['a:a']);
  });

  it('rejects an unknown pass name, listing the available ones', () => {
    expect(() => checkPassName('x')).toThrow(new UsageError("unknown pass 'x' for --print-after; available passes: none"));
    expect(() => checkPassName('x', [renamePass('a'), renamePass('b')])).toThrow(/available passes: a, b/);
  });
});

describe('selectBackend', () => {
  it('maps auto and reference to the interpreter and refuses backends not built yet', () => {
    expect(selectBackend('auto')).toBe(referenceBackend);
    expect(selectBackend('reference').name).toBe('reference');
    expect(() => selectBackend('webgpu')).toThrow(BackendUnavailableError);
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
