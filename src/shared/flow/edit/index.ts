/**
 * Lossless edit operations on `.ygtc` documents: pure functions from a flow text (or a parsed
 * flow) to the new text, touching only the text of what they change.
 */
export { runEdit, toParsed } from './context';
export type { EditErrorCode, EditResult, FlowSource } from './context';
export { addStep, appendStep, deleteStep, newNodeIdProblem, renameStep } from './steps';
export type { AddStepOptions, DeleteStrategy } from './steps';
export { addRoute, moveRoute, removeRoute, retargetRoute, setRouting, setRoutingShorthand } from './routing';
export type { RoutingValue } from './routing';
export { changeOpKey, removeNodeValue, removePayloadField, setNodeValue, setPayloadField } from './node-fields';
export type { NodePath } from './node-fields';
export { createFlow, setFlowField } from './flow-fields';
export type { FlowField, NewFlowOptions } from './flow-fields';
export { applyTextEdits } from './text';
