/** The back end of the chat contract (`chatMethods` of src/shared/api/chat.ts). */
import type { chatMethods } from '../../shared/api/chat';
import type { Handlers } from '../../shared/api/define';
import type { JsonValue } from '../../shared/flow/compiled';
import { ChatHost, type ChatHostOptions } from './chat-host';
import { transcriptYaml } from './transcript-writer';

/** Either a shared `ChatHost` (also serving Direct Line) or what it takes to build one. */
export type ChatHandlersContext = { chat: ChatHost } | ChatHostOptions;

export function createChatHandlers(context: ChatHandlersContext): Handlers<typeof chatMethods> {
  const host = 'chat' in context ? context.chat : new ChatHost(context);
  const runtime = async () => (await host.project()).runtime;
  return {
    async startConversation({ flowPath, tenant, team, user }) {
      return (await runtime()).start({
        ...(flowPath ? { flowPath } : {}),
        ...(tenant ? { tenant } : {}),
        ...(team ? { team } : {}),
        ...(user ? { user } : {}),
        provider: 'studio',
        debuggable: true,
      });
    },
    async sendMessage({ conversationId, text, submit }) {
      return (await runtime()).send(conversationId, { ...(text !== undefined ? { text } : {}), ...(submit ? { submit } : {}) });
    },
    async restartConversation({ conversationId }) {
      return (await runtime()).restart(conversationId);
    },
    async endConversation({ conversationId }) {
      await (await runtime()).end(conversationId);
      return null;
    },
    async listConversations() {
      return (await runtime()).list();
    },
    async getTrace({ conversationId }) {
      return (await runtime()).trace(conversationId);
    },
    async inspectSession({ conversationId }) {
      return (await runtime()).inspect(conversationId);
    },
    async listSessions({ tenant }) {
      return (await runtime()).listSessions(tenant);
    },
    async getPinnedOutputs({ flowPath }) {
      return (await host.project()).pins.forFlow(flowPath);
    },
    async setPinnedOutput({ flowPath, nodeId, output }) {
      return (await host.project()).pins.set(flowPath, nodeId, output as JsonValue);
    },
    async clearPinnedOutput({ flowPath, nodeId }) {
      return (await host.project()).pins.clear(flowPath, nodeId);
    },
    async runNode({ flowPath, nodeId, input, tenant, user }) {
      return (await runtime()).runNode(flowPath, nodeId, input as JsonValue, { ...(tenant ? { tenant } : {}), ...(user ? { user } : {}) });
    },
    async saveTranscript({ conversationId, path }) {
      const { runtime: chat, files } = await host.project();
      const info = chat.info(conversationId);
      const text = transcriptYaml(path, info.flowPath, chat.history(conversationId));
      await files.write(path, text);
      return { path, text };
    },
  };
}
