/** The back end of the debugger contract (`debugMethods` of src/shared/api/debug.ts). */
import type { debugMethods } from '../../shared/api/debug';
import type { Handlers } from '../../shared/api/define';
import type { JsonValue } from '../../shared/flow/compiled';
import type { ChatHost } from '../chat/chat-host';
import type { EventBus } from '../events';
import { stateEdit } from './flow-state';
import { recordedTurnView } from './recordings';
import { replayRecordedTurn } from './replay';

export function createDebugHandlers(host: ChatHost, events?: EventBus): Handlers<typeof debugMethods> {
  const project = () => host.project();
  return {
    async getBreakpoints({ flowPath }) {
      return (await project()).breakpoints.forFlow(flowPath);
    },
    async setBreakpoints({ flowPath, breakpoints, breakOnError }) {
      const chat = await project();
      const keep = breakOnError ?? (await chat.breakpoints.forFlow(flowPath)).breakOnError;
      const saved = await chat.breakpoints.set(flowPath, breakpoints, keep);
      await chat.debugger.breakpointsChanged(flowPath);
      events?.emit('breakpointsChanged', saved);
      return saved;
    },
    async getDebugSettings() {
      return { ...host.debugSettings };
    },
    async setDebugSettings({ pausedTurnTimeoutMs }) {
      host.debugSettings.pausedTurnTimeoutMs = pausedTurnTimeoutMs;
      return { ...host.debugSettings };
    },
    async getPausedTurn({ conversationId }) {
      const chat = await project();
      chat.runtime.info(conversationId);
      return chat.debugger.paused(conversationId);
    },
    async debugContinue({ conversationId, pauseId }) {
      (await project()).debugger.command(conversationId, 'continue', pauseId);
      return null;
    },
    async debugStepOver({ conversationId, pauseId }) {
      (await project()).debugger.command(conversationId, 'stepOver', pauseId);
      return null;
    },
    async debugStepInto({ conversationId, pauseId }) {
      (await project()).debugger.command(conversationId, 'stepInto', pauseId);
      return null;
    },
    async debugStepOut({ conversationId, pauseId }) {
      (await project()).debugger.command(conversationId, 'stepOut', pauseId);
      return null;
    },
    async debugStop({ conversationId, pauseId }) {
      (await project()).debugger.command(conversationId, 'stop', pauseId);
      return null;
    },
    async debugRunToHere({ conversationId, pauseId, flowPath, nodeId }) {
      const chat = await project();
      const info = chat.runtime.info(conversationId);
      chat.debugger.runToHere(conversationId, { ...(flowPath ? { flowPath } : {}), nodeId }, info.flowPath, pauseId);
      return null;
    },
    async debugEdit({ conversationId, pauseId, input, state }) {
      return (await project()).debugger.edit(conversationId, { ...(input !== undefined ? { input: input as JsonValue } : {}), ...(state ? { state: stateEdit(state) } : {}) }, pauseId);
    },
    async getRecordedTurn({ conversationId, turnId }) {
      return recordedTurnView((await project()).debugger.recorded(conversationId, turnId));
    },
    async replayTurn({ conversationId, turnId, step, input, state }) {
      const chat = await project();
      return replayRecordedTurn(chat.runtime, host.stateStore, {
        recorded: chat.debugger.recorded(conversationId, turnId),
        step,
        ...(input !== undefined ? { input: input as JsonValue } : {}),
        ...(state ? { state: stateEdit(state) } : {}),
      });
    },
  };
}
