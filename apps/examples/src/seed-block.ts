/**
 * `npm start`: builds the seed multi-head attention block (d_model 64,
 * 8 heads) with the IR builder, prints its IR, runs it on the reference
 * interpreter and prints the output.
 */
import { interpret, printGraph, tensor, type Tensor } from '@ladon/ir';
import { mulberry32, normals } from './random.js';
import { buildSeedBlock } from './seed-block-graph.js';

function describeRows(output: Tensor, rows: number): string[] {
  const width = output.shape[output.shape.length - 1];
  const data = output.data as Float32Array;
  const lines: string[] = [];
  for (let row = 0; row < rows; row++) {
    const values = data.subarray(row * width, (row + 1) * width);
    const mean = values.reduce((sum, value) => sum + value, 0) / width;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / width;
    const head = Array.from(values.subarray(0, 4), (value) => value.toFixed(4)).join(', ');
    lines.push(`  row ${row}: [${head}, ...]  mean ${mean.toFixed(4)}  std ${Math.sqrt(variance).toFixed(4)}`);
  }
  return lines;
}

function main(): void {
  const started = performance.now();
  const graph = buildSeedBlock();
  const built = performance.now();
  console.log('# The seed MHA block as Ladon IR (weights elided):');
  console.log(printGraph(graph, { maxConstantElements: 8 }));

  const [batch, seq, dModel] = [2, 5, 64];
  const x = tensor('f32', [batch, seq, dModel], normals(mulberry32(7), batch * seq * dModel));
  const mask = tensor('i64', [batch, 1, 1, seq], [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  const runStarted = performance.now();
  const { y } = interpret(graph, { x, mask });
  const ran = performance.now();

  console.log(`Ran on the reference interpreter: x ${x.shape.join('x')}, mask pads the last 2 keys of batch 1`);
  console.log(`y: ${y.dtype}[${y.shape.join(', ')}] (LayerNorm output: each row has mean ~0, std ~1 before the affine)`);
  for (const line of describeRows(y, 3)) console.log(line);
  console.log(`built in ${(built - started).toFixed(1)} ms, interpreted in ${(ran - runStarted).toFixed(1)} ms`);
}

main();
