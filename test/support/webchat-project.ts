import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A project for webchat clients: a greeting when the client joins, a parked wait for a name, an
 * adaptive card menu answered by `Action.Submit`, and a reply with quick replies (suggested
 * actions) and a hero card whose buttons post back, then a wait for the pick.
 */
export const CONCIERGE_FLOW = `id: concierge
type: messaging
start: greet
nodes:
  greet:
    templating.handlebars:
      text: "{{#if in.input.metadata.autoStart}}Welcome! What's your name?{{else}}You said {{in.input.text}} first. What's your name?{{/if}}"
    routing:
      - to: ask
  ask:
    emit.response:
      messages:
        - type: text
          text: "{{prev.text}}"
    routing:
      - to: wait_name
  wait_name:
    session.wait:
      reason: waiting for a name
    routing:
      - to: hello
  hello:
    emit.response:
      messages:
        - type: text
          text: "Nice to meet you, {{state.input.input.text}}!"
    routing:
      - to: menu
  menu:
    component-adaptive-card.render:
      card_source: inline
      card_spec:
        inline_json:
          type: AdaptiveCard
          version: "1.3"
          body:
            - type: TextBlock
              text: What next?
          actions:
            - type: Action.Submit
              title: Colours
              data:
                choice: colours
            - type: Action.Submit
              title: Goodbye
              data:
                choice: bye
    routing:
      - condition: response.choice == "colours"
        to: colours
      - condition: response.choice == "bye"
        to: bye
  colours:
    emit.response:
      messages:
        - message:
            text: Which colour?
            extensions:
              suggested_actions:
                actions:
                  - type: imBack
                    title: Blue
                    value: blue
                  - type: imBack
                    title: Red
                    value: red
              attachments:
                - contentType: application/vnd.microsoft.card.hero
                  content:
                    title: More colours
                    text: Or pick one of these.
                    buttons:
                      - type: postBack
                        title: Green
                        value: green
                      - type: messageBack
                        title: Yellow
                        text: yellow
                        displayText: Yellow, please
                        value:
                          colour: yellow
    routing:
      - to: wait_colour
  wait_colour:
    session.wait:
      reason: waiting for a colour
    routing:
      - to: picked
  picked:
    emit.response:
      messages:
        - type: text
          text: "You picked {{state.input.input.text}}{{#if state.input.input.metadata.colour}} ({{state.input.input.metadata.colour}}){{/if}}."
    routing:
      - to: menu
  bye:
    emit.response:
      messages:
        - type: text
          text: Goodbye!
    routing: out
`;

/** A fresh project folder holding the concierge flow. */
export function writeWebchatProject(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'webchat-project-'));
  mkdirSync(path.join(root, 'flows'));
  writeFileSync(path.join(root, 'flows', 'concierge.ygtc'), CONCIERGE_FLOW);
  return root;
}
