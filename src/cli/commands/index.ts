import type { CommandModule } from '../command';
import { bundleCommand } from './bundle';
import { chatCommand } from './chat';
import { componentCommand } from './component';
import { flowCommand } from './flow';
import { keysCommand } from './keys';
import { nodeCommand } from './node';
import { packCommand } from './pack';
import { replayCommand } from './replay';
import { serveCommand } from './serve';
import { testCommand } from './test';
import { validateCommand } from './validate';

/** Every sub-command of `greentic-studio`, in the order `--help` lists them. */
export const commandModules: CommandModule[] = [serveCommand, validateCommand, flowCommand, packCommand, bundleCommand, keysCommand, chatCommand, testCommand, nodeCommand, replayCommand, componentCommand];
