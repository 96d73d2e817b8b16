/**
 * The load pipeline of upstream greentic-flow (flow-format §7.1), in its order, so that the first
 * error reported is the one upstream reports. Unlike upstream it goes on after an error where the
 * document still makes sense, so the editor can show every problem at once.
 */
import { EMPTY_RANGE, type Diagnostic, type FlowErrorKind, type SourceRange } from './diagnostic';
import { duplicateKeyErrors } from './duplicate-keys';
import { irOf, schemaVersionOf, type FlowIr } from './ir';
import { has, isObject, type JsonObject } from './json';
import { hasValidShape } from './node-shape';
import type { ParsedFlow } from './parse';
import { parseRouting } from './routes';
import { validateSchema, type SchemaIssue } from './schema';
import { pointerOf, rangeOfPath, type PathSegment } from './source';

export interface LoaderResult {
  ir: FlowIr | null;
  diagnostics: Diagnostic[];
}

class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly parsed: ParsedFlow) {}

  range(path: readonly PathSegment[], on: 'key' | 'value' = 'value'): SourceRange {
    if (!this.parsed.doc) return EMPTY_RANGE;
    return rangeOfPath(this.parsed.doc, this.parsed.lineCounter, path, firstLineRange(this.parsed), on);
  }

  error(kind: FlowErrorKind, code: string, message: string, path: readonly PathSegment[], on: 'key' | 'value' = 'value'): Diagnostic {
    const diagnostic: Diagnostic = { severity: 'error', code, kind, message, range: this.range(path, on), pointer: pointerOf(path) };
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }
}

function firstLineRange(parsed: ParsedFlow): SourceRange {
  const end = parsed.text.indexOf('\n');
  const endOffset = end < 0 ? parsed.text.length : end;
  return { offset: 0, endOffset, line: 1, col: 1, endLine: 1, endCol: endOffset + 1 };
}

export function runLoader(parsed: ParsedFlow): LoaderResult {
  const report = new Reporter(parsed);
  report.diagnostics.push(...parsed.diagnostics);
  if (parsed.value === undefined) return { ir: null, diagnostics: report.diagnostics };
  const ir = irOf(parsed);
  if (ir) report.diagnostics.push(...duplicateKeyErrors(parsed, ir));
  const src = parsed.sourceName;
  const root = parsed.value;
  if (!isObject(root) || !has(root, 'type')) {
    report.error('Schema', 'schema', `${src}/type: missing required property 'type'`, isObject(root) ? ['type'] : []);
    if (!isObject(root)) return { ir: null, diagnostics: report.diagnostics };
  }
  const doc = root as JsonObject;
  const nodes: JsonObject = isObject(doc.nodes) ? doc.nodes : {};
  const legacy = schemaVersionOf(doc.schema_version) < 2;

  if (!legacy) checkShapes(report, nodes);

  const schemaIssues = Object.keys(nodes).length > 0 && !legacy ? validateSchema(withNodes(doc)) : [];
  const legacyModelBroken = legacy && !fitsModel(doc);
  const issues = legacyModelBroken ? validateSchema(withNodes(doc)) : schemaIssues;
  for (const issue of issues) {
    if (issue.path.length === 1 && issue.path[0] === 'type' && !has(doc, 'type')) continue;
    reportSchemaIssue(report, issue);
  }

  checkMcpNodes(report, nodes);
  checkRoutes(report, nodes, issues);

  return { ir, diagnostics: report.diagnostics };
}

/** Upstream coerces a missing or null `nodes` to `{}` before any check. */
function withNodes(doc: JsonObject): JsonObject {
  return doc.nodes === undefined || doc.nodes === null ? { ...doc, nodes: {} } : doc;
}

function checkShapes(report: Reporter, nodes: JsonObject): void {
  const src = report.parsed.sourceName;
  for (const [id, node] of Object.entries(nodes)) {
    if (!isObject(node) || hasValidShape(Object.keys(node))) continue;
    report.error(
      'NodeComponentShape',
      'node_component_shape',
      `Node '${id}' must contain exactly one component key like 'qa.process' plus optional 'routing' at ${src}::nodes.${id}`,
      ['nodes', id],
      'key',
    );
  }
}

function reportSchemaIssue(report: Reporter, issue: SchemaIssue): void {
  const pointer = pointerOf(issue.path) || '/';
  const diagnostic = report.error('Schema', issue.suggestion ? 'route_key_typo' : 'schema', `${report.parsed.sourceName}${pointer}: ${issue.message}`, issue.path, issue.on);
  if (issue.suggestion) {
    const { offset, endOffset } = diagnostic.range;
    diagnostic.fix = { title: `Rename '${String(issue.path[issue.path.length - 1])}' to '${issue.suggestion}'`, edits: [{ offset, endOffset, text: issue.suggestion }] };
  }
}

/** Whether serde could read the document into upstream's model without the schema's help. */
function fitsModel(doc: JsonObject): boolean {
  const optionalString = (key: string) => !has(doc, key) || doc[key] === null || typeof doc[key] === 'string';
  if (typeof doc.id !== 'string' || typeof doc.type !== 'string') return false;
  if (!['title', 'description', 'start'].every(optionalString)) return false;
  if (has(doc, 'tags') && doc.tags !== null && !(Array.isArray(doc.tags) && doc.tags.every((t) => typeof t === 'string'))) return false;
  if (has(doc, 'entrypoints') && doc.entrypoints !== null && !isObject(doc.entrypoints)) return false;
  if (has(doc, 'nodes') && doc.nodes !== null && !isObject(doc.nodes)) return false;
  return Object.values(isObject(doc.nodes) ? doc.nodes : {}).every(isObject);
}

const MCP_KEY = 'mcp';

function mcpProblem(payload: unknown): string | null {
  if (!isObject(payload)) return 'MCP node config must be an object';
  for (const key of ['server', 'tool']) {
    const value = payload[key];
    if (typeof value !== 'string' || value.length === 0) return `MCP node config '${key}' must be a non-empty string`;
  }
  if (has(payload, 'arguments') && !isObject(payload.arguments)) return `MCP node config 'arguments' must be an object`;
  if (has(payload, 'output') && typeof payload.output !== 'string') return `MCP node config 'output' must be a string`;
  return null;
}

function checkMcpNodes(report: Reporter, nodes: JsonObject): void {
  for (const [id, node] of Object.entries(nodes)) {
    if (!isObject(node) || !has(node, MCP_KEY)) continue;
    const problem = mcpProblem(node[MCP_KEY]);
    if (problem) report.error('McpConfig', 'mcp_config', `Invalid MCP node '${id}' at nodes.${id}: ${problem}`, ['nodes', id, MCP_KEY], 'key');
  }
}

function checkRoutes(report: Reporter, nodes: JsonObject, schemaIssues: readonly SchemaIssue[]): void {
  const src = report.parsed.sourceName;
  for (const [id, node] of Object.entries(nodes)) {
    if (!isObject(node)) continue;
    const flagged = schemaIssues.some((i) => i.path[0] === 'nodes' && i.path[1] === id && i.path[2] === 'routing');
    if (flagged) continue;
    const routing = parseRouting(node.routing);
    if (!routing.ok) {
      report.error('Routing', 'routing', `Invalid routing block in node '${id}' at ${src}::nodes.${id}.routing: ${routing.message}`, ['nodes', id, 'routing']);
      continue;
    }
    routing.routes.forEach((route, index) => {
      if (route.to === undefined || route.to === 'out' || has(nodes, route.to)) return;
      const path: PathSegment[] = routing.form === 'list' ? ['nodes', id, 'routing', index, 'to'] : ['nodes', id, 'routing'];
      report.error('MissingNode', 'missing_node', `Missing node '${route.to}' referenced in routing from '${id}' at ${src}::nodes.${id}.routing`, path);
    });
  }
}
