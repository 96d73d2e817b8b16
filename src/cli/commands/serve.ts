import type { Command } from 'commander';
import { startStudioServer } from '../../runtime/http/server';
import { generateToken } from '../../runtime/http/token';
import { StudioService } from '../../runtime/studio';
import { usageError, type CommandModule } from '../command';
import { rendererDir } from '../package-root';
import { waitForShutdownSignal } from '../signals';

interface ServeOptions {
  ui?: boolean;
  port: string;
  host: string;
  json?: boolean;
}

export const serveCommand: CommandModule = (program: Command) => {
  program
    .command('serve')
    .description('serve a project over HTTP: the studio UI in a browser (--ui) and the local endpoints')
    .argument('<folder>', 'project folder (pack.yaml + flows/, or any folder with .ygtc files)')
    .option('--ui', 'also serve the studio UI (web mode)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--host <h>', 'address to bind', '127.0.0.1')
    .option('--json', 'print one JSON line when ready')
    .action(async (folder: string, options: ServeOptions) => {
      const port = parsePort(options.port);
      const uiDir = options.ui ? rendererDir() : null;
      if (options.ui && !uiDir) throw usageError('the studio UI is not built; run `npm run build` first');

      const studio = new StudioService({ projectFolder: folder });
      await studio.handlers.openProject({ path: folder });
      const server = await startStudioServer({
        host: options.host,
        port,
        token: generateToken(),
        uiDir,
        handlers: studio.handlers,
        events: studio.events,
      });

      const ready = { event: 'ready', url: server.uiUrl, port: server.port };
      if (options.json) process.stdout.write(`${JSON.stringify(ready)}\n`);
      else process.stdout.write(`Greentic Studio is serving ${folder}\n  ${options.ui ? 'UI' : 'base URL'}: ${options.ui ? server.uiUrl : server.origin}\nPress Ctrl+C to stop.\n`);

      await waitForShutdownSignal();
      await server.close();
    });
};

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port must be a number from 0 to 65535, got '${value}'`);
  return port;
}
