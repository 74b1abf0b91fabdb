/**
 * The WebGPU backend on bad input and bad luck: a kernel that does not
 * compile (ShaderCompileError naming the kernel, with Tint's message), a
 * tensor over the adapter's binding limit and a kernel over its workgroup
 * limits (LimitError), a lost device (DeviceLostError, then a new session
 * works), plus `backend: 'auto'`, serialized programs and the pipeline cache.
 */
import { compileProgram } from '@ladon/compiler';
import { deserializeProgram, GraphBuilder, interpret, serializeProgram, tensor, type Graph, type Program } from '@ladon/ir';
import { expect, it } from 'vitest';
import { DeviceLostError, LimitError, preferredBackend, Session, ShaderCompileError, webGpuAvailable, webGpuUnavailableReason } from '@ladon/runtime';
import { acquireGpu, cachedPipelineCount, type GpuDevice } from '@ladon/runtime/testing';
import { describeGpu, expectOutputs } from '../../src/gpu.js';

function reluGraph(): Graph {
  const b = new GraphBuilder('relu');
  b.output(b.op('Relu', [b.input('x', 'f32', ['n'])]), 'y');
  return b.build();
}

async function sharedGpu(): Promise<GpuDevice> {
  const gpu = await acquireGpu();
  if (typeof gpu === 'string') throw new Error(gpu);
  return gpu;
}

const x = tensor('f32', [5], [-2, -1, 0, 1, 2]);

describeGpu('WebGPU backend errors and lifecycle', () => {
  it('reports a kernel that does not compile by name, with the WGSL message', async () => {
    const program = await compileProgram(reluGraph(), { target: 'wgsl' });
    const [kernel] = program.wgsl!.kernels;
    const broken: Program = { ...program, wgsl: { kernels: [{ ...kernel, source: kernel.source.replace('max_nan(x0, 0.0)', 'maximum(x0, 0.0)') }] } };
    const error = await Session.create(broken, { backend: 'webgpu' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ShaderCompileError);
    expect((error as ShaderCompileError).kernel).toBe(kernel.name);
    expect((error as Error).message).toContain(kernel.name);
    expect((error as ShaderCompileError).shaderMessage).toMatch(/maximum/);
  });

  it('names the tensor and the limit when a buffer exceeds the adapter', async () => {
    const limit = (await sharedGpu()).limits.maxStorageBufferBindingSize;
    const b = new GraphBuilder('outer');
    b.output(b.op('MatMul', [b.input('a', 'f32', ['n', 1]), b.input('b', 'f32', [1, 'n'])]), 'outer_product');
    const session = await Session.create(b.build(), { backend: 'webgpu' });
    const n = Math.floor(Math.sqrt(limit / 4)) + 1;
    const error = await session.run({ a: tensor('f32', [n, 1]), b: tensor('f32', [1, n]) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LimitError);
    expect((error as LimitError).location.tensor).toBe('outer_product');
    expect((error as Error).message).toMatch(/outer_product.*maxStorageBufferBindingSize/);
    expectOutputs(await session.run({ a: tensor('f32', [2, 1], [1, 2]), b: tensor('f32', [1, 2], [3, 4]) }), { outer_product: tensor('f32', [2, 2], [3, 4, 6, 8]) }, () => ({ rtol: 0, atol: 0 }));
    session.dispose();
  });

  it('refuses an application device that is not a GPUDevice', async () => {
    const program = await compileProgram(reluGraph(), { target: 'wgsl' });
    await expect(Session.create(program, { backend: 'webgpu', device: {} })).rejects.toThrow(/options.device must be a GPUDevice/);
  });

  it('rejects a kernel that needs more workgroup memory than the adapter has', async () => {
    const program = await compileProgram(reluGraph(), { target: 'wgsl' });
    const [kernel] = program.wgsl!.kernels;
    const greedy: Program = { ...program, wgsl: { kernels: [{ ...kernel, workgroupStorageBytes: 1 << 30 }] } };
    await expect(Session.create(greedy, { backend: 'webgpu' })).rejects.toThrow(/maxComputeWorkgroupStorageSize/);
  });

  it("reports WebGPU as available; 'auto' passes over a software adapter; runs serialized programs with 'auto'", async () => {
    expect(await webGpuAvailable()).toBe(true);
    expect(await webGpuUnavailableReason()).toBeUndefined();
    const graph = reluGraph();
    const auto = await Session.create(graph, { backend: 'auto' });
    // Here the adapter is SwiftShader (a software fallback): 'auto' prefers wasm over it.
    expect(auto.backend).toBe((await sharedGpu()).software ? 'wasm' : 'webgpu');
    expect(await preferredBackend()).toBe(auto.backend);
    const compiled = await Session.create(graph, { backend: 'webgpu' });
    const bytes = serializeProgram(compiled.program!);
    const loaded = await Session.create(deserializeProgram(bytes));
    expect(loaded.backend).toBe('webgpu'); // a program's own target
    expectOutputs(await loaded.run({ x }), interpret(graph, { x }), () => ({ rtol: 0, atol: 0 }));
    auto.dispose();
    compiled.dispose();
    loaded.dispose();
  });

  it('compiles each kernel once per device', async () => {
    const gpu = await sharedGpu();
    const graph = reluGraph();
    const first = await Session.create(graph, { backend: 'webgpu' });
    const count = cachedPipelineCount(gpu);
    const second = await Session.create(graph, { backend: 'webgpu' });
    expect(cachedPipelineCount(gpu)).toBe(count);
    first.dispose();
    second.dispose();
  });

  it('throws DeviceLostError after the device is lost, and a new session works', async () => {
    const graph = reluGraph();
    const session = await Session.create(graph, { backend: 'webgpu' });
    await session.run({ x });
    (await sharedGpu()).destroy();
    await expect(session.run({ x })).rejects.toBeInstanceOf(DeviceLostError);
    const recreated = await Session.create(graph, { backend: 'webgpu' });
    expectOutputs(await recreated.run({ x }), interpret(graph, { x }), () => ({ rtol: 0, atol: 0 }));
    recreated.dispose();
    session.dispose();
  });
});
