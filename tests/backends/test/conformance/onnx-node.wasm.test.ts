/** The ONNX node-test cases on wasm (see src/onnx-node-suite.ts). */
import { onnxNodeSuite } from '../../src/onnx-node-suite.js';

onnxNodeSuite('wasm');
