/** The ONNX node-test cases on reference (see src/onnx-node-suite.ts). */
import { onnxNodeSuite } from '../../src/onnx-node-suite.js';

onnxNodeSuite('reference');
