// The public surface of @ladon/runtime.
export { Session, type SessionOptions, type SessionSource, type RunOptions, type ProfiledRun } from './session.js';
export type { BackendName, BackendSession, StepTiming } from './backend.js';
export type { TensorInfo } from './tensor-info.js';
export type { ProgressEvent, ProgressListener, ProgressPhase } from './progress.js';
export type { CompilerModule, OnnxModule, ModuleSource, CompileTarget } from './load-tools.js';
export type { CompileSettings } from './compile/compile-program.js';
export type { CacheMode, CacheSettings, ProgramOrigin } from './compile/cache/cached-compile.js';
export type { SourceOptions } from './source.js';
export { BackendError, LimitError, DeviceLostError, ThreadError } from './errors.js';
export { WasmSession, type WasmSessionOptions } from './wasm/wasm-session.js';
export { simdSupported, relaxedSimdSupported } from './wasm/features.js';
export { webGpuAvailable, preferredBackend, webGpuUnavailableReason, type WebGpuSessionOptions } from './webgpu/webgpu-session.js';
export { ShaderCompileError } from './webgpu/shader-error.js';
export { tensor, type Tensor } from '@ladon/ir';
