import type { Command } from 'commander';
import type { JsonValue } from '../shared/flow/compiled';

/** A CLI command module adds its sub-command (and options) to the program. */
export type CommandModule = (program: Command) => void;

/** Exit codes shared by every command: 0 ok, 1 a negative result (invalid flow, failed test), 2 usage or I/O. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Thrown by a command to stop with a message and an exit code, without a stack trace. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
    this.name = 'CliExit';
  }
}

export function usageError(message: string): CliExit {
  return new CliExit(EXIT_USAGE, message);
}

/**
 * The parser of a repeatable option (`--key a.pem --key b.pem`): a variadic option would take the
 * command's positional arguments that follow it as more values.
 */
export function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The JSON value of an option (`--input '{...}'`); not JSON is a usage error naming the option. */
export function parseJsonOption(text: string, option: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw usageError(`${option} is not valid JSON: ${(error as Error).message}`);
  }
}
