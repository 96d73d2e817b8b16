import { useState } from 'react';
import type { BotMessage, CardAction, ReplyAttachment } from '../../../shared/api';
import { botActivity } from '../../../shared/directline/activity';
import { AdaptiveCardView } from './AdaptiveCardView';
import { JsonView } from './JsonView';

const HERO_CARD_TYPES = new Set(['application/vnd.microsoft.card.hero', 'application/vnd.microsoft.card.thumbnail']);

export interface ReplyActions {
  busy: boolean;
  onSend(text: string): void;
  /** `title`: the button's words, shown as what the user sent. */
  onSubmit(data: Record<string, unknown>, title?: string): void;
}

/**
 * One bot reply as the panel shows it (text or adaptive card, then hero cards and quick replies),
 * with the Direct Line activity a real client would receive for it on demand.
 */
export function BotReply({ message, actions }: { message: BotMessage; actions: ReplyActions }) {
  const [showActivity, setShowActivity] = useState(false);
  return (
    <div className="bot-reply">
      {message.type === 'text' ? (
        message.text.length > 0 && <div className="bubble bot" data-testid="bot-message">{message.text}</div>
      ) : (
        <div className="bubble bot card" data-testid="bot-message">
          <AdaptiveCardView card={message.card} onSubmit={actions.onSubmit} disabled={actions.busy} />
        </div>
      )}
      {message.attachments?.map((attachment, index) => <AttachmentView key={index} attachment={attachment} actions={actions} />)}
      {message.suggestedActions && (
        <div className="suggested-actions" role="group" aria-label="Suggested actions">
          <ActionButtons list={message.suggestedActions.actions} actions={actions} />
        </div>
      )}
      <button type="button" className="activity-toggle" aria-expanded={showActivity} onClick={() => setShowActivity(!showActivity)}>
        {showActivity ? 'Hide Direct Line activity' : 'Direct Line activity'}
      </button>
      {showActivity && (
        <div className="activity-json" data-testid="directline-activity" title="Without the id, timestamp and watermark the conversation assigns">
          <JsonView value={botActivity(message, undefined)} />
        </div>
      )}
    </div>
  );
}

function AttachmentView({ attachment, actions }: { attachment: ReplyAttachment; actions: ReplyActions }) {
  const content = isObject(attachment.content) ? attachment.content : {};
  if (!HERO_CARD_TYPES.has(attachment.contentType)) {
    return <div className="bubble bot">{attachment.name ?? attachment.contentUrl ?? attachment.contentType}</div>;
  }
  const buttons = Array.isArray(content.buttons) ? (content.buttons as unknown[]).filter(isCardAction) : [];
  return (
    <div className="bubble bot hero-card" data-testid="hero-card">
      {typeof content.title === 'string' && <strong>{content.title}</strong>}
      {typeof content.subtitle === 'string' && <div className="muted">{content.subtitle}</div>}
      {typeof content.text === 'string' && <div>{content.text}</div>}
      <ActionButtons list={buttons} actions={actions} />
    </div>
  );
}

/** Card actions as Web Chat sends them: imBack and postBack as text, messageBack and object values as a submit. */
function ActionButtons({ list, actions }: { list: CardAction[]; actions: ReplyActions }) {
  return (
    <div className="card-actions">
      {list.map((action, index) => {
        const run = cardActionRun(action, actions);
        return (
          <button key={index} type="button" disabled={actions.busy || !run} onClick={run ?? undefined} title={run ? undefined : `${action.type} is not run in the studio`}>
            {action.title ?? String(action.value ?? action.type)}
          </button>
        );
      })}
    </div>
  );
}

function cardActionRun(action: CardAction, actions: ReplyActions): (() => void) | null {
  if (!['imBack', 'postBack', 'messageBack'].includes(action.type)) return null;
  if (isObject(action.value)) {
    const value = action.value;
    return () => actions.onSubmit(value, action.title);
  }
  const text = action.type === 'messageBack' ? (action.text ?? action.displayText) : typeof action.value === 'string' ? action.value : undefined;
  return text ? () => actions.onSend(text) : null;
}

function isCardAction(value: unknown): value is CardAction {
  return isObject(value) && typeof value.type === 'string';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
