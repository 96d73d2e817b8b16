import { Command, CommanderError } from 'commander';
import { CliExit, EXIT_OK, EXIT_USAGE } from './command';
import { commandModules } from './commands';

export function createProgram(): Command {
  const program = new Command('greentic-studio')
    .description('Greentic Studio: validate, run, test, serve and pack Greentic flows.')
    .version(__STUDIO_VERSION__, '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commandModules) register(program);
  return program;
}

/** Runs the CLI and resolves to the process exit code; never throws. */
export async function runCli(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
      if (error.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (error instanceof CliExit) {
      if (error.message) process.stderr.write(`greentic-studio: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`greentic-studio: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
}
