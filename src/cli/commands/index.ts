import type { CommandModule } from '../command';
import { flowCommand } from './flow';
import { keysCommand } from './keys';
import { packCommand } from './pack';
import { serveCommand } from './serve';
import { validateCommand } from './validate';

/** Every sub-command of `greentic-studio`, in the order `--help` lists them. */
export const commandModules: CommandModule[] = [serveCommand, validateCommand, flowCommand, packCommand, keysCommand];
