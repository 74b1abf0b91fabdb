// The public surface of @ladon/onnx (browser-safe; file helpers live in
// `@ladon/onnx/node`). Everything is documented at its definition.
export { importOnnxModel, type ImportOptions, type OnnxModel } from './import-model.js';
export { decodeTensor, encodeTensor, type NamedTensor } from './tensor-proto.js';
export { OnnxImportError } from './errors.js';
export { bindTensorFiles, type TensorFile, type TensorRole, type TestCase, type TestDataSet } from './test-data.js';
export { SUPPORTED_IR_VERSIONS, SUPPORTED_OPSETS, type OpsetImport } from './opsets.js';
