// The public surface of @ladon/cli: the command as a function, and the two
// seams later packages plug into (backends, compile pipeline). Everything
// is documented at its definition.
export { runLadon } from './main.js';
export { type CliIO, type TextSink } from './io.js';
export { UsageError, EXIT_OK, EXIT_FAILURE, EXIT_USAGE } from './errors.js';
export { BACKEND_CHOICES, referenceBackend, selectBackend, type Backend, type BackendChoice, type PreparedGraph } from './backends.js';
export { PASS_NAMES, checkPassName, compileGraph, type CompileOptions, type CompileResult } from './pipeline.js';
