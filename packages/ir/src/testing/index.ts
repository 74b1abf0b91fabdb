// The `@ladon/ir/testing` surface: what tests of any package (and of code
// built on Ladon) share — running one op outside a graph, seeded random
// tensors and feeds. Not part of the main API.
export { inferOp, evaluateOp, type InferOpOptions } from './op-harness.js';
export { randomTensor, randomFeeds, type FillSpec } from './random-tensors.js';
export { seededRandom } from './random.js';
