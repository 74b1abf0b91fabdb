/**
 * ONNX `TensorProto.DataType` codes: the mapping lives in @ladon/ir
 * (`onnxTypeToDType`, `dtypeToOnnxType`, `onnxTypeName`); this module only
 * names what the importer supports, for messages.
 */
export { onnxTypeToDType as dtypeOfOnnxType, dtypeToOnnxType as onnxTypeOfDType, onnxTypeName as onnxTypeLabel } from '@ladon/ir';

/** The supported element types, for messages. */
export const SUPPORTED_ONNX_TYPES = 'FLOAT, FLOAT16, INT32, INT64, INT8, UINT8, BOOL';
