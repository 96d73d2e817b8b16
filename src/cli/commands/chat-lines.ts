/**
 * The line protocol of `greentic-studio chat`: each line is a user message, a `/submit {json}`
 * card submit, or (beginning with `:`) a debugger command for a turn paused at a breakpoint.
 */
import type { BotMessage, ConversationInfo, PausedTurn, TurnResult } from '../../shared/api';
import { StudioError } from '../../shared/api';
import type { FlowBreakpoints } from '../../shared/api/debug';
import type { JsonValue } from '../../shared/flow/compiled';
import type { LocalChat } from '../../runtime/chat/local-chat';
import type { BreakpointLookup } from '../../runtime/debug/debugger';
import { setAtPointer, pointerSegments } from '../../runtime/debug/json-pointer';
import { resolvePointer } from '../../runtime/engine/natives';
import { firstText } from '../../runtime/chat/transcript-writer';
import type { EventBus } from '../../runtime/events';

/** A line `/submit {"action":"about"}` sends an adaptive card submit instead of a text. */
const SUBMIT_PREFIX = '/submit ';

const HELP = [
  ':continue (:c)          run to the next breakpoint or the end of the turn',
  ':next (:n)              run this node, pause before the next one',
  ':step (:s)              pause before the very next node, inside a called flow too',
  ':out                    run to the end of the called flow, pause in its caller',
  ':stop                   end the turn here; the session stays as it was',
  ':print [POINTER]        show { "input": ..., "state": ... } or the part at a JSON pointer',
  ':set POINTER JSON       change the input or the state, e.g. :set /input/text "Hi"',
  ':break NODE / :clear NODE   set or remove a breakpoint (NODE or FLOW/NODE)',
].join('\n');

/** The CLI's breakpoints: named on the command line and by `:break`, never written to the project. */
export class CliBreakpoints implements BreakpointLookup {
  private readonly byFlow = new Map<string, Set<string>>();

  async forFlow(flowPath: string): Promise<FlowBreakpoints> {
    return { flowPath, breakpoints: [...(this.byFlow.get(flowPath) ?? [])].map((nodeId) => ({ nodeId })), breakOnError: this.breakOnError };
  }

  breakOnError = false;

  add(flowPath: string, nodeId: string): void {
    const nodes = this.byFlow.get(flowPath) ?? new Set<string>();
    nodes.add(nodeId);
    this.byFlow.set(flowPath, nodes);
  }

  remove(flowPath: string, nodeId: string): boolean {
    return this.byFlow.get(flowPath)?.delete(nodeId) ?? false;
  }
}

export interface ChatLinesOptions {
  chat: LocalChat;
  info: ConversationInfo;
  breakpoints: CliBreakpoints;
  events: EventBus;
  json: boolean;
  write: (text: string) => void;
  warn: (text: string) => void;
}

export class ChatLines {
  failedTurns = 0;
  private running: Promise<void> | null = null;
  private result: TurnResult | null = null;
  private failure: unknown = null;
  /** The pause shown to the user, which `:` commands act on. */
  private paused: PausedTurn | null = null;
  /** A pause that arrived and is not shown yet. */
  private fresh: PausedTurn | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly options: ChatLinesOptions) {
    options.events.subscribe((name, payload) => {
      if (name !== 'debugPaused' || (payload as PausedTurn).conversationId !== options.info.conversationId) return;
      this.fresh = payload as PausedTurn;
      this.wake?.();
    });
  }

  /** A breakpoint named `NODE` (in the conversation's flow) or `FLOW/NODE`; a clear error for a node that does not exist. */
  async resolveNode(spec: string): Promise<{ flowPath: string; nodeId: string; shown: string }> {
    const { chat, info } = this.options;
    const slash = spec.indexOf('/');
    const flowId = slash >= 0 ? spec.slice(0, slash) : null;
    const nodeId = slash >= 0 ? spec.slice(slash + 1) : spec;
    const flowPath = flowId === null ? info.flowPath : await chat.flows.pathOf(flowId);
    if (!flowPath) throw new StudioError('bad_request', `no flow with id "${flowId}" for the breakpoint ${spec}`);
    const flow = await chat.flows.byPath(flowPath);
    if (!flow.nodes.some((n) => n.id === nodeId)) {
      throw new StudioError('bad_request', `flow ${flow.id} has no node "${nodeId}" (its nodes: ${flow.nodes.map((n) => n.id).join(', ')})`);
    }
    return { flowPath, nodeId, shown: `${flow.id}/${nodeId}` };
  }

  async line(line: string): Promise<void> {
    try {
      if (line.startsWith(':')) await this.command(line);
      else if (this.paused) this.options.warn(`the turn is paused at node ${this.paused.nodeId}: use :continue, :next, :step, :out or :stop first (:help lists all)`);
      else await this.message(line);
    } catch (error) {
      if (!(error instanceof StudioError)) throw error;
      this.options.warn(error.message);
    }
  }

  /** End of input: a paused turn is stopped, so the session stays as it was. */
  async end(): Promise<void> {
    while (this.running) {
      if (this.paused) {
        try {
          this.options.chat.debugger.command(this.options.info.conversationId, 'stop', this.paused.pauseId);
        } catch (error) {
          // It timed out meanwhile: the settle below shows that ending.
          if (!(error instanceof StudioError)) throw error;
        }
        this.paused = null;
      }
      await this.settle();
    }
  }

  private async message(line: string): Promise<void> {
    const parsed = parseMessage(line);
    if ('problem' in parsed) return this.options.warn(parsed.problem);
    this.result = null;
    this.failure = null;
    this.running = this.options.chat.runtime
      .send(this.options.info.conversationId, parsed)
      .then(
        (result) => void (this.result = result),
        (error: unknown) => void (this.failure = error),
      )
      .then(() => (this.wake ? this.wake() : this.endedWhilePaused()));
    await this.settle();
  }

  /** The paused turn ended with no command (its pause timed out): say so now, not at the next line. */
  private endedWhilePaused(): void {
    this.paused = null;
    this.running = null;
    if (this.failure !== null) this.options.warn(this.failure instanceof Error ? this.failure.message : String(this.failure));
    else this.showResult(this.result as TurnResult);
  }

  /** Waits until the running turn pauses (and shows the pause) or ends (and shows its replies). */
  private async settle(): Promise<void> {
    if (!this.fresh && this.result === null && this.failure === null) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = null;
    if (this.fresh) {
      this.paused = this.fresh;
      this.fresh = null;
      this.showPause(this.paused);
      return;
    }
    this.running = null;
    if (this.failure !== null) throw this.failure;
    this.showResult(this.result as TurnResult);
  }

  private async command(line: string): Promise<void> {
    const [word = '', ...rest] = line.slice(1).trim().split(/\s+/);
    const argument = line.slice(1).trim().slice(word.length).trim();
    const { chat } = this.options;
    switch (word) {
      case 'c':
      case 'continue':
        return this.resume('continue');
      case 'n':
      case 'next':
        return this.resume('stepOver');
      case 's':
      case 'step':
        return this.resume('stepInto');
      case 'out':
        return this.resume('stepOut');
      case 'stop':
        return this.resume('stop');
      case 'print':
        return this.print(rest[0] ?? '');
      case 'set':
        return this.set(argument);
      case 'break': {
        const node = await this.resolveNode(requireArgument(argument, ':break NODE'));
        this.options.breakpoints.add(node.flowPath, node.nodeId);
        await chat.debugger.breakpointsChanged(node.flowPath);
        return this.options.warn(`breakpoint set on ${node.shown}`);
      }
      case 'clear': {
        const node = await this.resolveNode(requireArgument(argument, ':clear NODE'));
        if (!this.options.breakpoints.remove(node.flowPath, node.nodeId)) return this.options.warn(`no breakpoint on ${node.shown}`);
        await chat.debugger.breakpointsChanged(node.flowPath);
        return this.options.warn(`breakpoint on ${node.shown} cleared`);
      }
      case 'help':
        return this.options.warn(HELP);
      default:
        return this.options.warn(`unknown debugger command :${word} (:help lists them)`);
    }
  }

  private async resume(command: 'continue' | 'stepOver' | 'stepInto' | 'stepOut' | 'stop'): Promise<void> {
    const paused = this.requirePaused();
    this.options.chat.debugger.command(this.options.info.conversationId, command, paused.pauseId);
    this.paused = null;
    await this.settle();
  }

  private print(pointer: string): void {
    const paused = this.requirePaused();
    const doc = debugDocument(paused);
    pointerSegments(pointer); // refuses a pointer without its leading "/"
    const value = pointer === '' ? doc : resolvePointer(doc, pointer);
    if (value === undefined) throw new StudioError('bad_request', `nothing at ${pointer}`);
    this.options.write(this.options.json ? `${JSON.stringify(value)}\n` : `${JSON.stringify(value, null, 2)}\n`);
  }

  private set(argument: string): void {
    const paused = this.requirePaused();
    const space = argument.search(/\s/);
    if (space < 0) throw new StudioError('bad_request', 'write :set POINTER JSON, for example :set /input/text "Hi"');
    const pointer = argument.slice(0, space);
    const text = argument.slice(space).trim();
    let value: JsonValue;
    try {
      value = JSON.parse(text) as JsonValue;
    } catch (error) {
      throw new StudioError('bad_request', `:set needs a JSON value after the pointer (strings in double quotes): ${error instanceof Error ? error.message : String(error)}`);
    }
    const [part] = pointerSegments(pointer);
    if (part !== 'input' && part !== 'state') throw new StudioError('bad_request', `:set changes /input/... or /state/..., not ${pointer || '(the whole document)'}`);
    const doc = setAtPointer(debugDocument(paused) as unknown as JsonValue, pointer, value) as unknown as ReturnType<typeof debugDocument>;
    if (part === 'state' && (doc.state === null || typeof doc.state !== 'object' || Array.isArray(doc.state))) {
      throw new StudioError('bad_request', 'the state is an object with entry, input, nodes and vars');
    }
    const { conversationId } = this.options.info;
    this.paused =
      part === 'input'
        ? this.options.chat.debugger.edit(conversationId, { input: doc.input as JsonValue }, paused.pauseId)
        : this.options.chat.debugger.edit(conversationId, { state: doc.state as never }, paused.pauseId);
    this.options.warn(`set ${pointer}; node ${paused.nodeId} runs with it`);
  }

  private requirePaused(): PausedTurn {
    if (!this.paused) throw new StudioError('conflict', 'nothing is paused: the debugger commands work while a turn is paused at a breakpoint');
    return this.paused;
  }

  private showPause(paused: PausedTurn): void {
    const { write, json } = this.options;
    if (json) {
      write(`${JSON.stringify({ event: 'paused', node: paused.nodeId, input: paused.input, state: paused.state })}\n`);
      return;
    }
    const why = paused.reason === 'error' ? `failed: ${paused.error?.code}: ${paused.error?.message}` : paused.reason.replace(/_/g, ' ');
    const earlier = Object.keys(paused.state.nodes);
    write(
      [
        `paused ${paused.reason === 'error' ? 'at' : 'before'} ${paused.flowId}/${paused.nodeId} (${paused.component}): ${why}`,
        ...(paused.callStack.length > 1 ? [`  call stack: ${paused.callStack.map((f) => `${f.flowId}/${f.nodeId}`).join(' > ')}`] : []),
        `  input: ${JSON.stringify(paused.input)}`,
        `  earlier nodes: ${earlier.length > 0 ? earlier.join(', ') : '(none)'}; vars: ${JSON.stringify(paused.state.vars)}`,
        '  :c continue  :n next  :s step in  :out step out  :stop  :print [POINTER]  :set POINTER JSON  :help',
        '',
      ].join('\n'),
    );
  }

  private showResult(result: TurnResult): void {
    const { write, warn, json } = this.options;
    for (const reply of result.replies) write(json ? `${JSON.stringify(reply)}\n` : `${humanReply(reply)}\n`);
    if (result.status !== 'failed') return;
    if (result.errorCode === 'debug_stopped') return warn(`turn stopped: ${result.error}`);
    this.failedTurns += 1;
    warn(`turn failed (${result.errorCode}): ${result.error}`);
  }
}

/** What `:print` and `:set` address: the paused node's input and the flow state. */
function debugDocument(paused: PausedTurn): { input: unknown; state: PausedTurn['state'] } {
  return { input: paused.input, state: paused.state };
}

function requireArgument(argument: string, usage: string): string {
  if (argument === '') throw new StudioError('bad_request', `write ${usage}`);
  return argument;
}

function parseMessage(line: string): { text: string } | { submit: Record<string, unknown> } | { problem: string } {
  if (!line.startsWith(SUBMIT_PREFIX)) return { text: line };
  try {
    const value: unknown = JSON.parse(line.slice(SUBMIT_PREFIX.length));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { submit: value as Record<string, unknown> };
  } catch {
    // Reported below.
  }
  return { problem: 'a submit line is `/submit {"key": "value"}` with a JSON object' };
}

function humanReply(reply: BotMessage): string {
  if (reply.type === 'text') return `bot> ${reply.text}`;
  const actions = Array.isArray(reply.card.actions) ? (reply.card.actions as Record<string, unknown>[]) : [];
  const choices = actions
    .filter((a) => a.type === 'Action.Submit')
    .map((a) => `  [${String(a.title ?? '')}] /submit ${JSON.stringify(a.data ?? {})}`);
  return [`bot> [card] ${firstText(reply.card) ?? ''}`, ...choices].join('\n');
}
