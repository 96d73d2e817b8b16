import type { Command } from 'commander';
import { ReplaySetupError, ReplayStepError, replayTrace } from '../../runtime/trace-file/replay';
import { CliExit, EXIT_FAILED, EXIT_USAGE, type CommandModule } from '../command';

interface ReplayFlags {
  pack?: string;
  step?: string;
  untilFailure?: boolean;
}

export const replayCommand: CommandModule = (program: Command) => {
  program
    .command('replay')
    .description("run the steps of an upstream trace.json again and compare each output's hash with the recorded one (exit 1 when a step cannot be run again)")
    .argument('<trace>', 'a trace.json written by greentic-runner or by --trace-out')
    .option('--pack <path>', "the project folder or .gtpack to run (default: the trace's pack_ref)")
    .option('--step <n>', 'run only this step (1-based)')
    .option('--until-failure', 'stop at the failing step (always on, as in upstream)')
    .action(async (trace: string, flags: ReplayFlags) => {
      const step = flags.step === undefined ? undefined : parseStep(flags.step);
      try {
        await replayTrace(trace, {
          ...(flags.pack ? { pack: flags.pack } : {}),
          ...(step === undefined ? {} : { step }),
          print: (line) => process.stdout.write(`${line}\n`),
        });
      } catch (error) {
        if (error instanceof ReplaySetupError) throw new CliExit(EXIT_USAGE, error.message);
        if (error instanceof ReplayStepError) throw new CliExit(EXIT_FAILED, error.message);
        throw error;
      }
    });
};

function parseStep(value: string): number {
  const step = Number(value);
  if (!Number.isInteger(step) || step < 1) throw new CliExit(EXIT_USAGE, `--step must be a whole number from 1, got '${value}'`);
  return step;
}
