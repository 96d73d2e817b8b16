/** A flow whose first node needs a component the studio cannot run: only a pinned output lets it go on. */
export const WEATHER_FLOW = `id: weather
title: Weather
type: messaging
start: lookup
nodes:
  lookup:
    weather.lookup:
      city: "{{in.input.text}}"
    routing:
      - to: answer
  answer:
    emit.response:
      messages:
        - type: text
          text: "It is {{node.lookup.forecast}} in {{in.input.text}}"
    routing: out
`;
