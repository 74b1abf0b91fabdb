// `@ladon/onnx/testing`: builders for ONNX models written field by field
// (for tests and benchmarks that need a model the IR cannot express, such
// as one using onnxruntime's `com.microsoft` contrib ops). Not part of the
// main entry point.
export { attr, ElemType, encodeModelFields, modelBytes, modelFields, nodeFields, tensorFields, valueInfo, type Fields, type ModelSpec } from './testing/model-builder.js';
