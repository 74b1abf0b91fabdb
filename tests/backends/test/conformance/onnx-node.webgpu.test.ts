/** The ONNX node-test cases outside the vision family on webgpu (see src/onnx-node-suite.ts). */
import { onnxNodeSuite } from '../../src/onnx-node-suite.js';

onnxNodeSuite('webgpu');
