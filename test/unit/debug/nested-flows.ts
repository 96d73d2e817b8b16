/** A flow calling another one with `flow.call`: for stepping into, over and out of a called flow. */
export const PARENT_FLOW = `id: parent
type: messaging
nodes:
  first:
    templating.handlebars: { text: "one {{in.input.text}}" }
    routing: [{ to: call }]
  call:
    flow.call: { flow_id: child, input: { n: 7 } }
    routing: [{ to: after }]
  after:
    templating.handlebars: { text: "after {{prev.text}} / {{node.first.text}}" }
    routing: out
`;

export const CHILD_FLOW = `id: child
type: messaging
nodes:
  work:
    templating.handlebars: { text: "child {{in.n}}" }
    routing: [{ to: more }]
  more:
    templating.handlebars: { text: "more {{prev.text}}" }
    routing: out
`;
