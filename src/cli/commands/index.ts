import type { CommandModule } from '../command';
import { serveCommand } from './serve';

/** Every sub-command of `greentic-studio`, in the order `--help` lists them. */
export const commandModules: CommandModule[] = [serveCommand];
