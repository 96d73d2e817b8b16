import type { MouseEvent } from 'react';
import './skip-link.css';

/** The first Tab stop of the window: straight to the flow (its first node, else the YAML view). */
export function SkipLink() {
  function skip(event: MouseEvent<HTMLAnchorElement>) {
    const target = document.querySelector<HTMLElement>('[data-testid="flow-canvas"] .react-flow__node, [data-testid="yaml-view"] .native-edit-context, [data-testid="yaml-view"] textarea');
    event.preventDefault();
    target?.focus();
  }
  return (
    <a className="skip-link" href="#" onClick={skip}>
      Skip to the canvas
    </a>
  );
}
