import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { BotMessage } from '../../shared/api/chat';
import { StudioError } from '../../shared/api';
import { TURN_TIMEOUT_ENV, parseTurnTimeout } from '../../runtime/chat/chat-host';
import { openLocalChat, resolveLocalTarget } from '../../runtime/chat/local-chat';
import { DEFAULT_TURN_WALL_TIME_MS } from '../../runtime/engine/engine';
import { firstText } from '../../runtime/chat/transcript-writer';
import { CliExit, EXIT_FAILED, EXIT_USAGE, type CommandModule } from '../command';
import { addTraceOptions, traceOutFrom, type TraceFlags } from '../trace-out';

interface ChatOptions extends TraceFlags {
  flow?: string;
  tenant?: string;
  user?: string;
  json?: boolean;
  turnTimeout?: string;
}

/** A line `/submit {"action":"about"}` sends an adaptive card submit instead of a text. */
const SUBMIT_PREFIX = '/submit ';

export const chatCommand: CommandModule = (program: Command) => {
  const command = program
    .command('chat')
    .description('talk to a flow in the terminal: each input line is one user message (/submit {json} sends a card submit); exit 1 when a turn failed')
    .argument('<target>', 'project folder or .ygtc flow file')
    .option('--flow <id>', 'flow id to run (default: the app flow of the folder)')
    .option('--tenant <tenant>', 'tenant of the conversation', 'default')
    .option('--user <user>', 'user id of the conversation', 'user')
    .option('--json', 'print every bot reply as one JSON line')
    .option('--turn-timeout <ms>', `wall time of one turn in milliseconds (default ${DEFAULT_TURN_WALL_TIME_MS}, or $${TURN_TIMEOUT_ENV})`);
  addTraceOptions(command).action(async (target: string, options: ChatOptions) => {
      const engine = options.turnTimeout === undefined ? undefined : { turnWallTimeMs: parseTurnTimeoutOption(options.turnTimeout) };
      const { root } = await resolveLocalTarget(target).catch(rethrowAsUsage);
      const traceOut = await traceOutFrom(options, root);
      const chat = await openLocalChat(target, { ...(engine ? { engine } : {}), ...(traceOut ? { traceOut } : {}) }).catch(rethrowAsUsage);
      let flowPath = chat.flowPath;
      if (options.flow) {
        flowPath = (await chat.flows.pathOf(options.flow).catch(rethrowAsUsage)) ?? undefined;
        if (!flowPath) throw new CliExit(EXIT_USAGE, `no flow with id "${options.flow}" in ${target}`);
      }
      const info = await chat.runtime
        .start({ ...(flowPath ? { flowPath } : {}), tenant: options.tenant ?? 'default', user: options.user ?? 'user', provider: 'cli' })
        .catch(rethrowAsUsage);
      if (!options.json) process.stderr.write(`chatting with flow ${info.flowId} (${info.flowPath}); end input to stop\n`);

      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
      let failedTurns = 0;
      for await (const line of lines) {
        const message = parseLine(line);
        if ('problem' in message) {
          process.stderr.write(`greentic-studio: ${message.problem}\n`);
          continue;
        }
        const result = await chat.runtime.send(info.conversationId, message);
        for (const reply of result.replies) process.stdout.write(options.json ? `${JSON.stringify(reply)}\n` : `${humanReply(reply)}\n`);
        if (result.status === 'failed') {
          failedTurns += 1;
          process.stderr.write(`greentic-studio: turn failed (${result.errorCode}): ${result.error}\n`);
        }
      }
      await chat.runtime.end(info.conversationId);
      await chat.close();
      if (failedTurns > 0) throw new CliExit(EXIT_FAILED, `${failedTurns} turn${failedTurns > 1 ? 's' : ''} failed`);
    });
};

function parseLine(line: string): { text: string } | { submit: Record<string, unknown> } | { problem: string } {
  if (!line.startsWith(SUBMIT_PREFIX)) return { text: line };
  try {
    const value: unknown = JSON.parse(line.slice(SUBMIT_PREFIX.length));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { submit: value as Record<string, unknown> };
  } catch {
    // Reported below.
  }
  return { problem: 'a submit line is `/submit {"key": "value"}` with a JSON object' };
}

function humanReply(reply: BotMessage): string {
  if (reply.type === 'text') return `bot> ${reply.text}`;
  const actions = Array.isArray(reply.card.actions) ? (reply.card.actions as Record<string, unknown>[]) : [];
  const choices = actions
    .filter((a) => a.type === 'Action.Submit')
    .map((a) => `  [${String(a.title ?? '')}] /submit ${JSON.stringify(a.data ?? {})}`);
  return [`bot> [card] ${firstText(reply.card) ?? ''}`, ...choices].join('\n');
}

function parseTurnTimeoutOption(value: string): number {
  try {
    return parseTurnTimeout(value, '--turn-timeout');
  } catch (error) {
    return rethrowAsUsage(error);
  }
}

function rethrowAsUsage(error: unknown): never {
  if (error instanceof StudioError) throw new CliExit(EXIT_USAGE, error.message);
  throw error;
}
