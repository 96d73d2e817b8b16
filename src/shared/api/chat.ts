import { z } from 'zod';
import { method } from './define';

export type BotMessage =
  | { type: 'text'; text: string }
  | { type: 'adaptive_card'; card: Record<string, unknown> };

export type TurnStatus = 'completed' | 'waiting' | 'failed';

export interface TurnResult {
  conversationId: string;
  status: TurnStatus;
  replies: BotMessage[];
  /** Set when the turn failed: what went wrong, in words a designer can act on. */
  error?: string;
}

export interface ConversationInfo {
  conversationId: string;
  flowId: string;
  flowPath: string;
  tenant: string;
  user: string;
}

const id = z.string().min(1).max(256);

export const chatMethods = {
  startConversation: method<ConversationInfo>()(
    z
      .object({
        flowPath: z.string().min(1).max(4096).optional(),
        tenant: id.optional(),
        user: id.optional(),
      })
      .strict(),
  ),
  sendMessage: method<TurnResult>()(
    z
      .object({
        conversationId: id,
        text: z.string().max(64 * 1024).optional(),
        submit: z.record(z.string(), z.unknown()).optional(),
      })
      .strict()
      .refine((p) => p.text !== undefined || p.submit !== undefined, 'either text or submit is required'),
  ),
};
