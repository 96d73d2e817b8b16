import * as AdaptiveCards from 'adaptivecards';
import { useEffect, useRef, useState } from 'react';
import { cardMarkdownToHtml } from './card-markdown';

// TextBlocks carry the Adaptive Cards Markdown subset; without a processor the renderer warns on every card.
AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = cardMarkdownToHtml(text);
  result.didProcess = true;
};

interface Props {
  card: Record<string, unknown>;
  /** Called with the merged data of an Action.Submit (the action's `data` plus the card's inputs) and its title. */
  onSubmit(data: Record<string, unknown>, title?: string): void;
  /** While a turn runs, or for good once the conversation has moved past the card. */
  disabled?: boolean;
}

/** Renders an Adaptive Card with the official renderer; Action.Submit goes back to the flow. */
export function AdaptiveCardView({ card, onSubmit, disabled }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = useRef(onSubmit);
  submit.current = onSubmit;
  const inactive = useRef(disabled);
  inactive.current = disabled;

  useEffect(() => {
    const target = host.current;
    if (!target) return;
    const adaptiveCard = new AdaptiveCards.AdaptiveCard();
    adaptiveCard.onExecuteAction = (action) => {
      if (inactive.current) return;
      if (action instanceof AdaptiveCards.SubmitAction) {
        const data = action.data;
        submit.current(typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : { value: data }, action.title);
      } else if (action instanceof AdaptiveCards.OpenUrlAction && action.url) {
        window.open(action.url, '_blank', 'noopener,noreferrer');
      }
    };
    try {
      adaptiveCard.parse(card, new AdaptiveCards.SerializationContext());
      const element = adaptiveCard.render();
      target.replaceChildren(...(element ? [element] : []));
      setProblem(element ? null : 'the card could not be rendered');
    } catch (error) {
      setProblem(`the card could not be rendered: ${error instanceof Error ? error.message : String(error)}`);
    }
    return () => target.replaceChildren();
  }, [card]);

  // The renderer's own buttons and inputs: disabled, so neither a click nor the keyboard reaches them.
  useEffect(() => {
    for (const control of host.current?.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input, select, textarea') ?? []) control.disabled = Boolean(disabled);
  }, [disabled, card]);

  return (
    <div className={`adaptive-card${disabled ? ' disabled' : ''}`} data-testid="adaptive-card">
      <div ref={host} />
      {problem && (
        <details className="card-problem">
          <summary>{problem}</summary>
          <pre>{JSON.stringify(card, null, 2)}</pre>
        </details>
      )}
    </div>
  );
}
