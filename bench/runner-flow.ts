/** The 5-node flow the runner benchmarks drive: templating, a variable, a condition, an emit, a reply. */
export const FIVE_NODE_FLOW = `id: bench
type: messaging
nodes:
  greet:
    templating.handlebars:
      text: "Hello {{in.input.text}}"
    routing:
      - to: remember
  remember:
    var.set:
      name: last
      value: "{{in.input.text}}"
    routing:
      - to: decide
  decide:
    templating.handlebars:
      text: "{{node.greet.text}}"
    routing:
      - condition: response.text == "stop"
        to: reply
      - to: emit
  emit:
    emit.response:
      messages:
        - type: text
          text: "{{prev.text}} ({{state.vars.last}})"
    routing:
      - to: reply
  reply:
    templating.handlebars:
      text: "echo {{in.input.text}}"
`;
