import type { Command } from 'commander';
import { StudioError, type NodeRunResult } from '../../shared/api';
import { openLocalChat } from '../../runtime/chat/local-chat';
import { CliExit, EXIT_FAILED, EXIT_USAGE, parseJsonOption, type CommandModule } from '../command';

interface RunOptions {
  input: string;
  tenant: string;
  json?: boolean;
}

export const nodeCommand: CommandModule = (program: Command) => {
  const node = program.command('node').description('run one node of a flow on its own');

  node
    .command('run')
    .description("run one node on the input given, without running the flow; print its output as JSON, its logs on stderr; exit 1 when the node fails")
    .argument('<flow>', 'a .ygtc flow file')
    .argument('<node>', 'the id of the node')
    .requiredOption('--input <json>', "the node's input as its templates would render it, as JSON")
    .option('--tenant <tenant>', 'tenant of the run', 'default')
    .option('--json', 'print one JSON document: the whole result (status, output or error, logs, next step)')
    .action(async (flow: string, nodeId: string, options: RunOptions) => {
      const input = parseJsonOption(options.input, '--input');
      const chat = await openLocalChat(flow).catch(asUsage);
      try {
        if (!chat.flowPath) throw new CliExit(EXIT_USAGE, `not a flow file: ${flow}`);
        const result = await chat.runtime.runNode(chat.flowPath, nodeId, input, { tenant: options.tenant }).catch(asUsage);
        report(result, options.json === true);
      } finally {
        await chat.close();
      }
    });
};

function report(result: NodeRunResult, json: boolean): void {
  for (const log of result.logs) process.stderr.write(`[${log.source}] ${log.text}${log.fields?.length ? ` ${log.fields.map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}\n`);
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else if (result.status === 'ok') process.stdout.write(`${JSON.stringify(result.output, null, 2)}\n`);
  if (result.status === 'failed') throw new CliExit(EXIT_FAILED, json ? '' : `node ${result.nodeId} failed: ${result.error.code}: ${result.error.message}`);
}

function asUsage(error: unknown): never {
  if (error instanceof StudioError) throw new CliExit(EXIT_USAGE, error.message);
  throw error;
}
