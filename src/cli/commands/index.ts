import type { CommandModule } from '../command';

/** Every sub-command of `greentic-studio`, in the order `--help` lists them. */
export const commandModules: CommandModule[] = [];
