/** Generated `.ygtc` flows of a given size for the flow benchmarks: a realistic mix of node kinds. */

export function generateFlow(nodeCount: number): string {
  const lines = ['# generated benchmark flow', 'id: bench_flow', 'title: Benchmark flow', 'type: messaging', 'start: n0', 'parameters:', '  greeting: hello', '  retries: 3', '', 'nodes:'];
  for (let i = 0; i < nodeCount; i += 1) {
    const next = i + 1 < nodeCount ? `n${i + 1}` : null;
    const alt = i + 2 < nodeCount ? `n${i + 2}` : null;
    lines.push(`  # step ${i}`, `  n${i}:`);
    switch (i % 4) {
      case 0:
        lines.push('    qa.process:', `      welcome: "Question ${i}: {{in.input.text}}"`, '      questions:', `        - id: q${i}`, '          prompt: "Your answer?"', '          answer_type: text');
        break;
      case 1:
        lines.push('    templating.handlebars:', `      text: "Hi {{prev.payload.name}} ({{node.n${i - 1}.payload.q${i - 1}}})"`);
        break;
      case 2:
        lines.push('    state.set:', `      key: k${i}`, '      value: parameters.retries');
        break;
      default:
        lines.push('    emit.response:', '      messages:', '        - type: text', `          text: 'step ${i} done'`);
    }
    if (!next) lines.push('    routing: out');
    else if (i % 4 === 1 && alt) lines.push('    routing:', `      - condition: response.action == "skip"`, `        to: ${alt}`, `      - to: ${next}`);
    else lines.push('    routing:', `      - to: ${next}`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}
