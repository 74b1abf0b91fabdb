/**
 * `importOnnxModel`: a serialized ONNX ModelProto -> a verified IR Graph
 * plus the model's metadata. Value names are the ONNX names; node names are
 * kept; graph inputs that are also initializers become plain initializers.
 */
import { verifyGraph, type Graph } from '@ladon/ir';
import { inFile, OnnxImportError } from './errors.js';
import { GraphAssembler } from './graph-assembler.js';
import { checkKnownOps, importNode } from './import-nodes.js';
import { checkIrVersion, checkOpsets, readOpsetImports, type OpsetImport } from './opsets.js';
import { decodeModelMessage, type GraphMessage, type ModelMessage } from './proto-messages.js';
import { tensorFromMessage } from './tensor-proto.js';
import { declaredType, DimNamer, type DeclaredType } from './value-types.js';
import { int64ToNumber } from './int64.js';

/** Options for {@link importOnnxModel}. */
export interface ImportOptions {
  /** The file the bytes came from; errors name it (`location.file`). */
  readonly fileName?: string;
}

/** An imported ONNX model: the IR graph and the model's metadata. */
export interface OnnxModel {
  /** The verified IR graph (value names are the ONNX names). */
  readonly graph: Graph;
  /** `ModelProto.ir_version` (7-10). */
  readonly irVersion: number;
  /** The default-domain (`ai.onnx`) opset version. */
  readonly opsetVersion: number;
  /** Every opset import, as written in the model. */
  readonly opsetImports: readonly OpsetImport[];
  /** `producer_name`, e.g. `pytorch`. */
  readonly producerName: string;
  /** `producer_version`, e.g. `1.13.0`. */
  readonly producerVersion: string;
  /** `ModelProto.domain`. */
  readonly domain: string;
  /** `ModelProto.model_version`. */
  readonly modelVersion: number;
  /** `metadata_props` as a record. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The file name given in the options, if any. */
  readonly fileName?: string;
}

/**
 * Imports a serialized ONNX model (the bytes of a `.onnx` file). Every
 * problem is a typed {@link LadonError} whose message names the file (when
 * `fileName` is given) and the node or tensor: an {@link OnnxImportError}
 * for bad bytes, unsupported IR versions, opsets, domains and dtypes,
 * missing values and contradicting shapes; the IR's `UnknownOpError` for
 * ops outside the op set, listing all of them (`unknownOps`: op, node
 * count, first node).
 */
export function importOnnxModel(bytes: Uint8Array, options: ImportOptions = {}): OnnxModel {
  const file = options.fileName;
  try {
    return importModelMessage(decodeModelMessage(bytes, file), file);
  } catch (error) {
    throw inFile(error, file, 'cannot import the ONNX model');
  }
}

/**
 * The op types a serialized ONNX model's nodes use (main graph), each once,
 * in order of first use. Read without importing, so it also answers for a
 * model Ladon cannot import; bytes that are not a model are an
 * {@link OnnxImportError}.
 */
export function onnxModelOps(bytes: Uint8Array, options: ImportOptions = {}): string[] {
  try {
    const nodes = decodeModelMessage(bytes, options.fileName).graph?.node ?? [];
    return [...new Set(nodes.map((node) => node.op_type))];
  } catch (error) {
    throw inFile(error, options.fileName, 'cannot read the ONNX model');
  }
}

function importModelMessage(model: ModelMessage, file: string | undefined): OnnxModel {
  const irVersion = checkIrVersion(model, file);
  if (!model.graph) throw new OnnxImportError('the model has no graph', file ? { file } : {});
  const opsetVersion = checkOpsets(model.graph.node, model, file);
  checkKnownOps(model.graph.node, file);
  const graph = importGraph(model.graph, opsetVersion, file);
  verifyGraph(graph);
  return {
    graph,
    irVersion,
    opsetVersion,
    opsetImports: readOpsetImports(model).imports,
    producerName: model.producer_name,
    producerVersion: model.producer_version,
    domain: model.domain,
    modelVersion: int64ToNumber(model.model_version),
    metadata: Object.fromEntries(model.metadata_props.map((entry) => [entry.key, entry.value])),
    ...(file === undefined ? {} : { fileName: file }),
  };
}

function importGraph(message: GraphMessage, opsetVersion: number, file: string | undefined): Graph {
  if (message.sparse_initializer.length > 0) throw new OnnxImportError('sparse initializers are not supported', file ? { file } : {});
  const namer = new DimNamer();
  const nodeOutputs = new Set(message.node.flatMap((node) => node.output.filter((output) => output !== '')));
  const declared = collectDeclaredTypes(message, namer, file);
  const assembler = new GraphAssembler(message.name || 'main', { file, declared, nodeOutputs });
  for (const initializer of message.initializer) {
    const tensor = tensorFromMessage(initializer, { what: `initializer '${initializer.name}'`, file });
    assembler.addInitializer(initializer.name, tensor);
  }
  for (const input of message.input) {
    if (assembler.graph.initializers.has(input.name)) continue;
    const type = declaredType(input, `graph input '${input.name}'`, namer, file);
    if (!type?.shape) {
      throw new OnnxImportError(`graph input '${input.name}' has no ${type ? 'shape' : 'tensor type'} (Ladon needs at least its rank)`, assembler.where({ tensor: input.name }));
    }
    assembler.addInput(input.name, { dtype: type.dtype, shape: type.shape });
  }
  for (const node of message.node) importNode(node, assembler, opsetVersion, file);
  for (const output of message.output) assembler.addOutput(output.name);
  return assembler.graph;
}

/** Declared types of node outputs: value_info, then graph outputs (which win). */
function collectDeclaredTypes(message: GraphMessage, namer: DimNamer, file: string | undefined): Map<string, DeclaredType> {
  const declared = new Map<string, DeclaredType>();
  for (const info of message.value_info) {
    const type = declaredType(info, `value_info '${info.name}'`, namer, file);
    if (type) declared.set(info.name, type);
  }
  for (const info of message.output) {
    const type = declaredType(info, `graph output '${info.name}'`, namer, file);
    if (type) declared.set(info.name, type);
  }
  return declared;
}
