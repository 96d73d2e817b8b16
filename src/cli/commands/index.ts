import type { CommandModule } from '../command';
import { flowCommand } from './flow';
import { serveCommand } from './serve';
import { validateCommand } from './validate';

/** Every sub-command of `greentic-studio`, in the order `--help` lists them. */
export const commandModules: CommandModule[] = [serveCommand, validateCommand, flowCommand];
