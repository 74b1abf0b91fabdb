// The `@ladon/runtime/testing` surface: internals the backend tests reach
// for (the GPU device seam, the pipeline cache, the WGSL preamble). Not part
// of the main API.
export { acquireGpu, gpuAvailability, type GpuDevice } from './webgpu/device.js';
export { cachedPipelineCount } from './webgpu/pipeline-cache.js';
export { kernelPreamble } from './webgpu/kernel-layout.js';
