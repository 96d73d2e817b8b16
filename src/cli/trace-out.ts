/**
 * `--trace-out FILE` and `--trace-capture-inputs` of `chat`, `test` and `serve`: the runner writes
 * upstream's `trace.json` of each turn, as `greentic-runner --trace-out` does. Without the flags,
 * upstream's variables `GREENTIC_TRACE_OUT` and `GREENTIC_TRACE_CAPTURE_INPUTS=1` turn it on.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import type { TraceOutOptions } from '../runtime/trace-file/traced-engine';
import { usageError } from './command';

export const ENV_TRACE_OUT = 'GREENTIC_TRACE_OUT';
export const ENV_TRACE_CAPTURE_INPUTS = 'GREENTIC_TRACE_CAPTURE_INPUTS';

export interface TraceFlags {
  traceOut?: string;
  traceCaptureInputs?: string | boolean;
}

export function addTraceOptions(command: Command): Command {
  return command
    .option('--trace-out <file>', `write upstream's trace.json of every turn to this file (default from $${ENV_TRACE_OUT})`)
    .option('--trace-capture-inputs [mode]', 'record each node\'s invocation in the trace (on|off; the flag alone means on), so that `replay` can run it again');
}

/** The trace settings of a command, or undefined when no trace is asked for. */
export async function traceOutFrom(flags: TraceFlags, packRef: string, version?: string, environment: NodeJS.ProcessEnv = process.env): Promise<TraceOutOptions | undefined> {
  const file = flags.traceOut ?? (environment[ENV_TRACE_OUT] || undefined);
  const capture = captureMode(flags.traceCaptureInputs, environment);
  if (!file) {
    if (flags.traceCaptureInputs !== undefined) throw usageError('--trace-capture-inputs needs --trace-out <file>');
    return undefined;
  }
  const absolute = path.resolve(file);
  const folder = await fs.stat(path.dirname(absolute)).catch(() => null);
  if (!folder?.isDirectory()) throw usageError(`--trace-out: no such folder: ${path.dirname(file)}`);
  if ((await fs.stat(absolute).catch(() => null))?.isDirectory()) throw usageError(`--trace-out: ${file} is a folder`);
  return {
    path: absolute,
    captureInputs: capture,
    packRef: path.resolve(packRef),
    flowVersion: version ?? (await packVersion(packRef)),
    runnerVersion: `greentic-studio ${__STUDIO_VERSION__}`,
    onWriteError: (error) => process.stderr.write(`greentic-studio: failed to write trace ${file}: ${error instanceof Error ? error.message : String(error)}\n`),
  };
}

function captureMode(value: string | boolean | undefined, environment: NodeJS.ProcessEnv): boolean {
  if (value === undefined) return environment[ENV_TRACE_CAPTURE_INPUTS] === '1';
  if (value === true || value === 'on') return true;
  if (value === 'off') return false;
  throw usageError(`--trace-capture-inputs takes on or off, got '${String(value)}'`);
}

/** The version in the project's `pack.yaml` (upstream's `flow.version`); `0.0.0` without one. */
async function packVersion(packRef: string): Promise<string> {
  const text = await fs.readFile(path.join(packRef, 'pack.yaml'), 'utf8').catch(() => null);
  if (text === null) return '0.0.0';
  try {
    const doc: unknown = parseYaml(text);
    const version = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).version : undefined;
    return typeof version === 'string' && version.length > 0 ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
