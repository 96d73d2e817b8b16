/** The flow core: parse, validate, compile and edit `.ygtc` flows. Isomorphic (renderer, runtime, CLI). */
export type { CompiledFlow, CompiledNode, ComponentRef, FlowKind, FlowMetadata, JsonValue, Routing, Telemetry } from './compiled';
export { EMPTY_RANGE, firstError, hasErrors } from './diagnostic';
export type { Diagnostic, FlowErrorKind, QuickFix, Severity, SourceRange, TextEdit } from './diagnostic';
export { parseFlow, INLINE_SOURCE, MAX_ALIAS_COUNT, MAX_FLOW_TEXT_LENGTH } from './parse';
export type { ParsedFlow, ParseOptions } from './parse';
export { loadFlow, loadParsed, compileFlow } from './load';
export { decodeFlowBytes } from './decode';
export type { DecodedFlow } from './decode';
export { checkNodeComponents, componentOfNode } from './component-check';
export type { KnownComponent, NodeComponent } from './component-check';
export { validateConfig } from './config-schema';
export type { ConfigIssue } from './config-schema';
export { devFlowsOf, preferredDevFlow } from './dev-flows';
export type { DevFlow, Question, QuestionConstraint, QuestionKind } from './dev-flows';
export { APPLY_ANSWERS_OP, QA_SPEC_OP, readAppliedAnswers, readQaSpec } from './qa-spec';
export type { AppliedAnswers, QaMode, SetupSpec } from './qa-spec';
export { answerPath, answerProblem, answerProblems, answersFromPayload, defaultAnswers, isVisible, parseAnswer } from './answers';
export type { AnswerProblem, AnswerProblemCode, Answers, ParsedAnswer } from './answers';
export { checkFlowFile, checkFlowFiles, flowIdsOf, setContextFor, RESOLVE_SIDECAR_SUFFIX } from './check-files';
export type { FlowFileCheck, FlowFileInput, FlowSetContext } from './check-files';
export { reparseFlow } from './incremental/reparse';
export type { LoadedFlow, LoadOptions, CompiledResult } from './load';
export { componentOf, mapFlowType, SLOT_SCHEMA_METADATA_KEY } from './compile';
export type { CompileOptions } from './compile';
export { findNode, resolveStart, TOP_LEVEL_KEYS } from './ir';
export type { FlowIr, IrNode, IrRoute } from './ir';
export type { RouteDoc, RouteKind, RoutingForm } from './routes';
export { checkCondition } from './condition';
export { templatePathsFor } from './template-paths';
export type { ConditionCheck, ParsedCondition } from './condition';
export { NEW_NODE_ID, identifierProblem } from './identifiers';
export type { LintContext, OtherFlow } from './lints';
export {
  bindInResolveSidecar,
  bindingOf,
  checkResolveSidecar,
  deleteFromResolveSidecar,
  normalizeResolveSidecar,
  parseResolveSidecar,
  renameInResolveSidecar,
} from './resolve-sidecar';
export type { FlowResolveV1, ResolveNodeEntry, ResolveSource, SidecarInput } from './resolve-sidecar';
export {
  deleteFromLayout,
  emptyLayout,
  layoutPathFor,
  parseLayout,
  pruneLayout,
  renameInLayout,
  serializeLayout,
  setNodePosition,
  LAYOUT_SUFFIX,
} from './layout';
export type { FlowLayout, LayoutParse, NodePosition } from './layout';
export * from './edit';
