/** Replays transcript tests against the runner and says, turn by turn, what differed. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { BotMessage, TraceEvent, TurnStatus } from '../../shared/api/chat';
import { openLocalChat, resolveLocalTarget, type LocalChat } from './local-chat';
import type { TraceOutOptions } from '../trace-file/traced-engine';
import { MAX_TRANSCRIPT_BYTES, parseTranscript, regexSource, type ReplyExpectation, type TranscriptTurnSpec } from './transcript-format';
import { cardTexts } from './transcript-writer';

export interface TurnReport {
  index: number;
  input: { text: string } | { submit: Record<string, unknown> };
  expected: ReplyExpectation[];
  actual: BotMessage[];
  status: TurnStatus;
  error?: string;
  problems: string[];
  trace: TraceEvent[];
}

export interface TranscriptReport {
  file: string;
  passed: boolean;
  /** Turns run, up to and including the first failing one. */
  turns: TurnReport[];
  /** Set when the transcript could not run at all (bad YAML, missing flow). */
  error?: string;
}

export interface TranscriptRunOptions {
  /** Write upstream's `trace.json` of each turn; given the project root the transcript runs in. */
  traceOut?: (root: string) => Promise<TraceOutOptions | undefined>;
}

export async function runTranscriptFile(file: string, options: TranscriptRunOptions = {}): Promise<TranscriptReport> {
  let transcript;
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_TRANSCRIPT_BYTES) throw new Error('transcript is larger than 1 MiB');
    transcript = parseTranscript(await fs.readFile(file, 'utf8'), file);
  } catch (error) {
    return { file, passed: false, turns: [], error: messageOf(error) };
  }
  let chat: LocalChat;
  try {
    const target = path.resolve(path.dirname(file), transcript.flow);
    const traceOut = options.traceOut ? await options.traceOut((await resolveLocalTarget(target)).root) : undefined;
    chat = await openLocalChat(target, { engine: { maxAttempts: 1 }, ...(traceOut ? { traceOut } : {}) });
  } catch (error) {
    return { file, passed: false, turns: [], error: messageOf(error) };
  }
  try {
    let conversationId: string;
    try {
      const info = await chat.runtime.start({
        ...(chat.flowPath ? { flowPath: chat.flowPath } : {}),
        ...(transcript.tenant ? { tenant: transcript.tenant } : {}),
        ...(transcript.team ? { team: transcript.team } : {}),
        ...(transcript.user ? { user: transcript.user } : {}),
        provider: 'test',
      });
      conversationId = info.conversationId;
    } catch (error) {
      return { file, passed: false, turns: [], error: messageOf(error) };
    }
    return await runTurns(chat, conversationId, transcript.turns, file);
  } finally {
    await chat.close();
  }
}

async function runTurns(chat: LocalChat, conversationId: string, specs: TranscriptTurnSpec[], file: string): Promise<TranscriptReport> {
  const turns: TurnReport[] = [];
  for (const [index, spec] of specs.entries()) {
    const input = 'submit' in spec ? { submit: spec.submit } : { text: spec.user };
    const traceStart = chat.runtime.trace(conversationId).length;
    const result = await chat.runtime.send(conversationId, input);
    const problems = compareTurn(spec, result.replies, result.status);
    turns.push({
      index,
      input,
      expected: spec.bot,
      actual: result.replies,
      status: result.status,
      ...(result.error ? { error: result.error } : {}),
      problems,
      trace: chat.runtime.trace(conversationId).slice(traceStart),
    });
    if (problems.length > 0) return { file, passed: false, turns };
  }
  return { file, passed: true, turns };
}

export function compareTurn(spec: TranscriptTurnSpec, replies: BotMessage[], status: TurnStatus): string[] {
  const problems: string[] = [];
  if (spec.status && spec.status !== status) problems.push(`expected status ${spec.status}, got ${status}`);
  if (!spec.status && status === 'failed') problems.push('the turn failed');
  if (replies.length !== spec.bot.length) problems.push(`expected ${spec.bot.length} replies, got ${replies.length}`);
  spec.bot.forEach((expectation, i) => {
    const reply = replies[i];
    if (!reply) return;
    const problem = mismatch(expectation, reply);
    if (problem) problems.push(`reply ${i + 1}: ${problem}`);
  });
  return problems;
}

function mismatch(expectation: ReplyExpectation, reply: BotMessage): string | null {
  if ('text' in expectation) {
    if (reply.type !== 'text') return 'expected a text, got an adaptive card';
    const pattern = regexSource(expectation.text);
    if (pattern !== null) return new RegExp(pattern).test(reply.text) ? null : `text does not match /${pattern}/`;
    const want = typeof expectation.text === 'string' ? expectation.text : 'equals' in expectation.text ? expectation.text.equals : null;
    if (want !== null) return reply.text === want ? null : 'text differs';
    const part = (expectation.text as { contains: string }).contains;
    return reply.text.includes(part) ? null : `text does not contain ${JSON.stringify(part)}`;
  }
  if (reply.type !== 'adaptive_card') return 'expected an adaptive card, got a text';
  if ('equals' in expectation.card) return JSON.stringify(reply.card) === JSON.stringify(expectation.card.equals) ? null : 'card differs';
  const part = expectation.card.contains;
  return [...cardTexts(reply.card)].some((text) => text.includes(part)) ? null : `no text of the card contains ${JSON.stringify(part)}`;
}

/** Transcript files under the given files and folders (`*.yaml`, `*.yml`), sorted. */
export async function findTranscripts(targets: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const target of targets) {
    const stat = await fs.stat(target).catch(() => null);
    if (!stat) throw new Error(`no such file or folder: ${target}`);
    if (stat.isFile()) found.push(target);
    else await collect(target, found);
  }
  return found.sort();
}

async function collect(folder: string, into: string[]): Promise<void> {
  for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) await collect(full, into);
    else if (/\.ya?ml$/.test(entry.name)) into.push(full);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
