import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { StudioError } from '../../shared/api';
import { TURN_TIMEOUT_ENV, parseTurnTimeout } from '../../runtime/chat/chat-host';
import { openLocalChat, resolveLocalTarget } from '../../runtime/chat/local-chat';
import { DEFAULT_PAUSED_TURN_TIMEOUT_MS } from '../../runtime/debug/debugger';
import { DEFAULT_TURN_WALL_TIME_MS } from '../../runtime/engine/engine';
import { EventBus } from '../../runtime/events';
import { CliExit, EXIT_FAILED, EXIT_USAGE, repeatable, type CommandModule } from '../command';
import { addTraceOptions, traceOutFrom, type TraceFlags } from '../trace-out';
import { ChatLines, CliBreakpoints } from './chat-lines';

interface ChatOptions extends TraceFlags {
  flow?: string;
  tenant?: string;
  user?: string;
  json?: boolean;
  turnTimeout?: string;
  break?: string[];
  breakOnError?: boolean;
  pauseTimeout?: string;
}

export const chatCommand: CommandModule = (program: Command) => {
  const command = program
    .command('chat')
    .description(
      'talk to a flow in the terminal: each input line is one user message (/submit {json} sends a card submit), or a debugger command beginning with ":" (:help lists them); exit 1 when a turn failed',
    )
    .argument('<target>', 'project folder or .ygtc flow file')
    .option('--flow <id>', 'flow id to run (default: the app flow of the folder)')
    .option('--tenant <tenant>', 'tenant of the conversation', 'default')
    .option('--user <user>', 'user id of the conversation', 'user')
    .option('--json', 'print every bot reply as one JSON line')
    .option('--turn-timeout <ms>', `wall time of one turn in milliseconds (default ${DEFAULT_TURN_WALL_TIME_MS}, or $${TURN_TIMEOUT_ENV})`)
    .option('--break <nodes>', 'pause before these nodes: NODE or FLOW/NODE, comma-separated, repeatable', repeatable)
    .option('--break-on-error', 'pause at any node that fails')
    .option('--pause-timeout <ms>', `how long a turn may stay paused before it ends by itself (default ${DEFAULT_PAUSED_TURN_TIMEOUT_MS})`);
  addTraceOptions(command).action(async (target: string, options: ChatOptions) => {
      const engine = options.turnTimeout === undefined ? undefined : { turnWallTimeMs: parseMillisecondsOption(options.turnTimeout, '--turn-timeout') };
      const pausedTurnTimeoutMs = options.pauseTimeout === undefined ? undefined : parseMillisecondsOption(options.pauseTimeout, '--pause-timeout');
      const { root } = await resolveLocalTarget(target).catch(rethrowAsUsage);
      const traceOut = await traceOutFrom(options, root);
      const breakpoints = new CliBreakpoints();
      breakpoints.breakOnError = options.breakOnError === true;
      const events = new EventBus();
      const chat = await openLocalChat(target, {
        ...(engine ? { engine } : {}),
        ...(traceOut ? { traceOut } : {}),
        breakpoints,
        events,
        ...(pausedTurnTimeoutMs !== undefined ? { pausedTurnTimeoutMs } : {}),
      }).catch(rethrowAsUsage);
      let flowPath = chat.flowPath;
      if (options.flow) {
        flowPath = (await chat.flows.pathOf(options.flow).catch(rethrowAsUsage)) ?? undefined;
        if (!flowPath) throw new CliExit(EXIT_USAGE, `no flow with id "${options.flow}" in ${target}`);
      }
      const info = await chat.runtime
        .start({ ...(flowPath ? { flowPath } : {}), tenant: options.tenant ?? 'default', user: options.user ?? 'user', provider: 'cli', debuggable: true })
        .catch(rethrowAsUsage);
      const session = new ChatLines({
        chat,
        info,
        breakpoints,
        events,
        json: options.json === true,
        write: (text) => process.stdout.write(text),
        warn: (text) => process.stderr.write(`greentic-studio: ${text}\n`),
      });
      try {
        for (const spec of (options.break ?? []).flatMap((list) => list.split(',')).map((s) => s.trim()).filter((s) => s !== '')) {
          const node = await session.resolveNode(spec).catch(rethrowAsUsage);
          breakpoints.add(node.flowPath, node.nodeId);
        }
        if (!options.json) process.stderr.write(`chatting with flow ${info.flowId} (${info.flowPath}); end input to stop\n`);
        const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
        for await (const line of lines) await session.line(line);
        await session.end();
      } finally {
        await chat.runtime.end(info.conversationId);
        await chat.close();
      }
      const failedTurns = session.failedTurns;
      if (failedTurns > 0) throw new CliExit(EXIT_FAILED, `${failedTurns} turn${failedTurns > 1 ? 's' : ''} failed`);
    });
};

function parseMillisecondsOption(value: string, option: string): number {
  try {
    return parseTurnTimeout(value, option);
  } catch (error) {
    return rethrowAsUsage(error);
  }
}

function rethrowAsUsage(error: unknown): never {
  if (error instanceof StudioError) throw new CliExit(EXIT_USAGE, error.message);
  throw error;
}
