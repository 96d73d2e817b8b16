import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PausedTurn } from '../../../src/shared/api';
import { StudioService } from '../../../src/runtime/studio';
import { Pauses, sampleProjectCopy } from './support';

const FLOW = 'flows/main.ygtc';

async function studio(project: string) {
  const service = new StudioService({ projectFolder: project, configDir: mkdtempSync(path.join(tmpdir(), 'studio-debug-config-')) });
  await service.handlers.openProject({ path: project });
  const pauses = new Pauses();
  service.events.subscribe((name, payload) => {
    if (name === 'debugPaused') pauses.push(payload as PausedTurn);
  });
  return { service, handlers: service.handlers, pauses };
}

describe('breakpoints in the studio', () => {
  it('are kept in a sidecar beside the flow, survive a restart, and refuse conditions outside the grammar', async () => {
    const project = sampleProjectCopy();
    const flowText = readFileSync(path.join(project, FLOW), 'utf8');
    const first = await studio(project);
    const saved = await first.handlers.setBreakpoints({
      flowPath: FLOW,
      breakpoints: [{ nodeId: 'welcome' }, { nodeId: 'menu', condition: 'response.action == "help"', hitCount: 2, enabled: false }],
      breakOnError: true,
    });
    expect(saved).toEqual({
      flowPath: FLOW,
      breakOnError: true,
      breakpoints: [{ nodeId: 'welcome' }, { nodeId: 'menu', condition: 'response.action == "help"', hitCount: 2, enabled: false }],
    });
    const sidecar = path.join(project, `${FLOW}.breakpoints.json`);
    expect(JSON.parse(readFileSync(sidecar, 'utf8'))).toEqual({
      schema_version: 1,
      flow: 'main.ygtc',
      break_on_error: true,
      breakpoints: { welcome: {}, menu: { condition: 'response.action == "help"', hit_count: 2, enabled: false } },
    });
    expect(readFileSync(path.join(project, FLOW), 'utf8')).toBe(flowText);

    const second = await studio(project);
    expect(await second.handlers.getBreakpoints({ flowPath: FLOW })).toEqual(saved);
    await expect(second.handlers.setBreakpoints({ flowPath: FLOW, breakpoints: [{ nodeId: 'menu', condition: 'count >= 2' }] })).rejects.toThrow(
      /the condition of the breakpoint on menu is refused: operator '>=' is not supported/,
    );
    // Clearing the last breakpoint (break on error kept unless told) and then break on error removes the sidecar.
    expect((await second.handlers.setBreakpoints({ flowPath: FLOW, breakpoints: [] })).breakOnError).toBe(true);
    await second.handlers.setBreakpoints({ flowPath: FLOW, breakpoints: [], breakOnError: false });
    expect(existsSync(sidecar)).toBe(false);
  });
});

describe('a paused chat panel conversation', () => {
  it('shows the session as it was, and Stop leaves that session untouched', async () => {
    const { handlers, pauses } = await studio(sampleProjectCopy());
    const { conversationId } = await handlers.startConversation({ flowPath: FLOW });
    await handlers.sendMessage({ conversationId, text: 'hi' });
    const before = await handlers.inspectSession({ conversationId });
    expect(before?.parked?.nodeId).toBe('welcome');

    await handlers.setBreakpoints({ flowPath: FLOW, breakpoints: [{ nodeId: 'menu' }] });
    const turn = handlers.sendMessage({ conversationId, text: 'Ada' });
    const paused = await pauses.next();
    expect(paused).toMatchObject({ nodeId: 'menu', flowPath: FLOW, reason: 'breakpoint', conversationId });
    expect(paused.session).toEqual(before);
    expect(paused.state.nodes.welcome?.payload).toMatchObject({ messages: [{ type: 'text', text: 'Nice to meet you, Ada!' }] });
    expect(await handlers.getPausedTurn({ conversationId })).toEqual(paused);
    await handlers.debugStop({ conversationId, pauseId: paused.pauseId });
    const stopped = await turn;
    expect([stopped.status, stopped.errorCode]).toEqual(['failed', 'debug_stopped']);
    expect(await handlers.inspectSession({ conversationId })).toEqual(before);
    expect(await handlers.getPausedTurn({ conversationId })).toBeNull();
    const trace = await handlers.getTrace({ conversationId });
    expect(trace.filter((e) => e.type === 'debug_stop')).toHaveLength(1);

    // The same message again runs from where the session was.
    await handlers.setBreakpoints({ flowPath: FLOW, breakpoints: [] });
    const again = await handlers.sendMessage({ conversationId, text: 'Ada' });
    expect(again.replies[0]).toEqual({ type: 'text', text: 'Nice to meet you, Ada!' });
  });

  it('times out after the configured time with the session as it was', async () => {
    const { handlers, pauses } = await studio(sampleProjectCopy());
    expect(await handlers.setDebugSettings({ pausedTurnTimeoutMs: 300 })).toEqual({ pausedTurnTimeoutMs: 300 });
    expect(await handlers.getDebugSettings({})).toEqual({ pausedTurnTimeoutMs: 300 });
    await handlers.setBreakpoints({ flowPath: FLOW, breakpoints: [{ nodeId: 'say_hello' }] });
    const { conversationId } = await handlers.startConversation({ flowPath: FLOW });
    const turn = handlers.sendMessage({ conversationId, text: 'hi' });
    const paused = await pauses.next();
    expect(paused.timeoutAt - paused.pausedAt).toBe(300);
    const result = await turn;
    expect(result.errorCode).toBe('debug_timeout');
    expect(result.error).toContain('for longer than 300 ms and was ended; the session is as it was before the turn');
    expect(await handlers.inspectSession({ conversationId })).toBeNull();
    await expect(handlers.debugContinue({ conversationId })).rejects.toThrow(/is not paused/);
  });

  it('never pauses a channel conversation (Direct Line, NATS) on the same flow', async () => {
    const { service, handlers, pauses } = await studio(sampleProjectCopy());
    await handlers.setBreakpoints({ flowPath: FLOW, breakpoints: [{ nodeId: 'greet' }], breakOnError: true });
    const { runtime } = await service.chat.project();
    const webchat = await runtime.start({ flowPath: FLOW, provider: 'webchat' });
    expect((await runtime.send(webchat.conversationId, { text: 'hi' })).status).toBe('waiting');
    const detached = await runtime.runDetachedTurn({ flowPath: FLOW, provider: 'nats' }, { id: 'm-1', text: 'hi' });
    expect(detached.status).toBe('waiting');
    expect(pauses.all).toHaveLength(0);
  });

  it('restarting a paused conversation ends the paused turn first', async () => {
    const { handlers, pauses } = await studio(sampleProjectCopy());
    await handlers.setBreakpoints({ flowPath: FLOW, breakpoints: [{ nodeId: 'greet' }] });
    const { conversationId } = await handlers.startConversation({ flowPath: FLOW });
    const turn = handlers.sendMessage({ conversationId, text: 'hi' });
    await pauses.next();
    await handlers.restartConversation({ conversationId });
    expect((await turn).errorCode).toBe('debug_stopped');
    expect(await handlers.inspectSession({ conversationId })).toBeNull();
  });
});
