// The public surface of @ladon/compiler.
export { runPipeline, type Pass, type PassContext, type PassReport, type PipelineOptions } from './pass.js';
export { insertNode, insertOp, insertConstant, replaceAllUses, removeDeadNodes, factsOf, type InsertOptions } from './graph-edit.js';
export { op, capture, constant, oneOf, type Pattern, type OpPattern, type CapturePattern, type ConstantPattern, type OneOfPattern, type OpPatternOptions } from './rewrite/pattern.js';
export { matchAt, type Match, type MatchIndex } from './rewrite/match.js';
export { applyRules, rulePass, type RewriteRule, type RuleMatch, type RewriteResult, type Escape } from './rewrite/rewriter.js';
