// The public surface of @ladon/onnx (browser-safe; file helpers live in
// `@ladon/onnx/node`). Everything is documented at its definition.
export { importOnnxModel, onnxModelOps, type ImportOptions, type OnnxModel } from './import-model.js';
export { decodeTensor, encodeTensor, type NamedTensor } from './tensor-proto.js';
export { OnnxImportError } from './errors.js';
export { bindTensorFiles, type TensorFile, type TensorRole, type TestCase, type TestDataSet } from './test-data.js';
export { SUPPORTED_IR_VERSIONS, type OpsetImport } from './opsets.js';
export { FULL_OPSETS, opVersionAt } from './opset-policy.js';
export { KNOWN_OPSET } from './op-versions.js';
/**
 * ONNX model export: {@link exportOnnxModel} writes an IR Graph as the bytes
 * of an `.onnx` file (ONNX ops only; the Ladon extensions Linear and
 * FusedMatMul are refused with an {@link OnnxExportError} naming the node).
 */
export { exportOnnxModel, EXPORT_OPSETS, type ExportOptions } from './export-model.js';
export { OnnxExportError } from './export-errors.js';
