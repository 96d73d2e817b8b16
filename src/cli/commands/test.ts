import type { Command } from 'commander';
import type { BotMessage, TraceEvent } from '../../shared/api/chat';
import { findTranscripts, runTranscriptFile, type TranscriptReport, type TurnReport } from '../../runtime/chat/transcript-runner';
import { CliExit, EXIT_FAILED, EXIT_USAGE, type CommandModule } from '../command';
import { addTraceOptions, traceOutFrom, type TraceFlags } from '../trace-out';

export const testCommand: CommandModule = (program: Command) => {
  const command = program
    .command('test')
    .description('replay conversation transcripts (YAML) against their flows; exit 1 when any fails')
    .argument('<paths...>', 'transcript files or folders of them')
    .option('--json', 'print one JSON line per transcript');
  addTraceOptions(command).action(async (paths: string[], options: { json?: boolean } & TraceFlags) => {
      // Checked once up front, so that a bad flag is a usage error rather than a failed transcript.
      await traceOutFrom(options, '.');
      const files = await findTranscripts(paths).catch((error: unknown) => {
        throw new CliExit(EXIT_USAGE, error instanceof Error ? error.message : String(error));
      });
      if (files.length === 0) throw new CliExit(EXIT_USAGE, `no transcript (.yaml, .yml) found in ${paths.join(', ')}`);
      let failed = 0;
      for (const file of files) {
        const report = await runTranscriptFile(file, { traceOut: (root) => traceOutFrom(options, root) });
        if (!report.passed) failed += 1;
        process.stdout.write(options.json ? `${JSON.stringify(jsonReport(report))}\n` : humanReport(report));
      }
      if (!options.json) process.stdout.write(`${files.length - failed} passed, ${failed} failed\n`);
      if (failed > 0) throw new CliExit(EXIT_FAILED);
    });
};

function jsonReport(report: TranscriptReport): Record<string, unknown> {
  const failing = report.turns.find((t) => t.problems.length > 0);
  return {
    file: report.file,
    passed: report.passed,
    turns: report.turns.length,
    ...(report.error ? { error: report.error } : {}),
    ...(failing ? { failure: failing } : {}),
  };
}

function humanReport(report: TranscriptReport): string {
  if (report.passed) return `PASS ${report.file} (${report.turns.length} turns)\n`;
  if (report.error) return `FAIL ${report.file}\n  ${report.error}\n`;
  const turn = report.turns.find((t) => t.problems.length > 0) as TurnReport;
  const said = 'text' in turn.input ? JSON.stringify(turn.input.text) : `submit ${JSON.stringify(turn.input.submit)}`;
  return [
    `FAIL ${report.file}`,
    `  turn ${turn.index + 1}: user ${said} (status ${turn.status}${turn.error ? `: ${turn.error}` : ''})`,
    ...turn.problems.map((p) => `    - ${p}`),
    '  expected:',
    ...(turn.expected.length > 0 ? turn.expected.map((e) => `    ${JSON.stringify(e)}`) : ['    (no reply)']),
    '  actual:',
    ...(turn.actual.length > 0 ? turn.actual.map((r) => `    ${describeReply(r)}`) : ['    (no reply)']),
    '  trace:',
    ...turn.trace.flatMap(traceLine).map((line) => `    ${line}`),
    '',
  ].join('\n');
}

function describeReply(reply: BotMessage): string {
  return reply.type === 'text' ? JSON.stringify({ text: reply.text }) : JSON.stringify({ card: reply.card });
}

function traceLine(event: TraceEvent): string[] {
  switch (event.type) {
    case 'node_start':
      return [`${event.flowId}/${event.nodeId} (${event.component}) input ${clip(event.input)}`];
    case 'node_end':
      return [`  output ${clip(event.output)}${event.pinned ? ' [pinned]' : ''} in ${event.durationMs.toFixed(2)} ms`];
    case 'route':
      return [`  -> ${event.decision}${event.to ? ` ${event.toFlow ? `${event.toFlow}/` : ''}${event.to}` : ''}`];
    case 'wait':
      return [`  waits (${event.reason || 'no reason'}); resumes at ${event.nextNode}`];
    case 'node_log':
      return [`  [${event.source}] ${event.text.trimEnd()}`];
    case 'node_error':
      return [`  error ${event.code}: ${event.message}`];
    case 'turn_end':
      return event.error ? [`turn failed: ${event.error.code}: ${event.error.message}`] : [];
    default:
      return [];
  }
}

function clip(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
