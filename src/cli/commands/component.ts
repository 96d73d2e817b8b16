import type { Command } from 'commander';
import { standaloneInvocation, type ComponentDescription } from '../../runtime/components/host';
import { WasmComponentError } from '../../runtime/components/wasm/errors';
import { DEFAULT_HTTP_POLICY } from '../../runtime/components/wasm/services/http-client';
import { FileSecretsStore } from '../../runtime/components/wasm/services/secrets';
import { JsonStateLayer } from '../../runtime/components/wasm/services/state';
import { MemoryStateStore } from '../../runtime/sessions/state-store';
import { locateSpec, parseComponentSpec, type ComponentLocation } from '../../runtime/components/wasm/sources';
import { defaultSecretsFile } from '../../runtime/components/wasm/user-dirs';
import { WasmComponentHost, type PreparedComponent } from '../../runtime/components/wasm/wasm-host';
import { CliExit, EXIT_FAILED, EXIT_USAGE, parseJsonOption, repeatable, usageError, type CommandModule } from '../command';

interface InvokeOptions {
  input: string;
  config?: string;
  tenant: string;
  json?: boolean;
  allowHost?: string[];
}

export const componentCommand: CommandModule = (program: Command) => {
  const component = program.command('component').description('describe and invoke WASM components (from a .gtpack or a .wasm file)');

  component
    .command('describe')
    .description('show a component\'s ABI, imports, operations and input schemas')
    .argument('<component>', 'pack.gtpack#component-id or file.wasm')
    .option('--json', 'print one JSON document')
    .action(async (spec: string, options: { json?: boolean }) => {
      await withHost({ allowHost: [] }, async (host) => {
        const location = await locate(spec);
        host.addLocation(location);
        const prepared = await loadStep(() => host.prepare(location.id));
        const description = await loadStep(() => host.describe(location.id));
        const report = describeReport(prepared, description);
        process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : textReport(report));
      });
    });

  component
    .command('invoke')
    .description('call one operation and print its output as JSON; exit 1 on a node error')
    .argument('<component>', 'pack.gtpack#component-id or file.wasm')
    .argument('<op>', 'the operation to call')
    .requiredOption('--input <json>', 'the operation input, as JSON')
    .option('--config <json>', 'the node configuration, as JSON')
    .option('--tenant <tenant>', 'tenant of the call (selects the dev secrets)', 'default')
    .option('--allow-host <host>', 'a host the component may reach over HTTP (example.com, *.example.com, host:port, *); repeat for several', repeatable)
    .option('--json', 'print one JSON document: {ok, output} or {ok, error}')
    .action(async (spec: string, operation: string, options: InvokeOptions) => {
      const input = parseJsonOption(options.input, '--input');
      const config = options.config === undefined ? null : parseJsonOption(options.config, '--config');
      await withHost(options, async (host) => {
        const location = await locate(spec);
        host.addLocation(location);
        await loadStep(() => host.prepare(location.id));
        const outcome = await host.invoke(
          standaloneInvocation({
            componentId: location.id,
            operation,
            input,
            config,
            tenant: options.tenant,
            caller: 'cli',
            traceId: `cli-${Date.now().toString(36)}`,
            signal: new AbortController().signal,
          }),
        );
        for (const entry of outcome.logs ?? []) process.stderr.write(`[${entry.source}] ${entry.text}${entry.text.endsWith('\n') ? '' : '\n'}`);
        if (options.json) process.stdout.write(`${JSON.stringify(outcome.ok ? { ok: true, output: outcome.output } : outcome)}\n`);
        else if (outcome.ok) process.stdout.write(`${JSON.stringify(outcome.output, null, 2)}\n`);
        if (!outcome.ok) throw new CliExit(EXIT_FAILED, options.json ? '' : `node error ${outcome.error.code}: ${outcome.error.message}`);
      });
    });
};

async function withHost(options: { allowHost?: string[] }, use: (host: WasmComponentHost) => Promise<void>): Promise<void> {
  const host = new WasmComponentHost({
    http: { ...DEFAULT_HTTP_POLICY, allow: options.allowHost ?? [], allowHint: 'allow it with --allow-host' },
    secrets: new FileSecretsStore(defaultSecretsFile()),
    state: new JsonStateLayer(new MemoryStateStore()),
    poolSize: 1,
  });
  try {
    await use(host);
  } finally {
    await host.close();
  }
}

async function locate(spec: string): Promise<ComponentLocation> {
  try {
    return await locateSpec(parseComponentSpec(spec));
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

/** Load failures (missing file, not a component, unsupported world) are I/O or usage errors. */
async function loadStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof WasmComponentError) throw new CliExit(EXIT_USAGE, error.message);
    throw error;
  }
}

interface DescribeReport {
  id: string;
  origin: string;
  abi: string;
  version: string | null;
  imports: Array<{ name: string; served: boolean }>;
  operations: Array<{ name: string; inputSchema: unknown; outputSchema: unknown }>;
  limits: { wallTimeMs: number; memoryMb: number };
}

function describeReport(prepared: PreparedComponent, description: ComponentDescription | null): DescribeReport {
  return {
    id: prepared.id,
    origin: prepared.origin,
    abi: prepared.transpiled.abi,
    version: description?.version ?? prepared.manifest?.version ?? null,
    imports: prepared.transpiled.imports.map((name) => ({ name, served: !prepared.unserved.includes(name) })),
    operations: (description?.operations ?? []).map((op) => ({ name: op.name, inputSchema: op.inputSchema ?? null, outputSchema: op.outputSchema ?? null })),
    limits: { wallTimeMs: prepared.limits.wallTimeMs, memoryMb: Math.round(prepared.limits.memoryLimitBytes / 1048576) },
  };
}

function textReport(report: DescribeReport): string {
  const lines = [
    `${report.id}${report.version ? ` ${report.version}` : ''}`,
    `  origin: ${report.origin}`,
    `  abi: greentic:component/node@${report.abi}.0`,
    `  limits: ${report.limits.wallTimeMs} ms, ${report.limits.memoryMb} MB`,
    `  imports:${report.imports.length === 0 ? ' none' : ''}`,
    ...report.imports.map((imp) => `    ${imp.name}${imp.served ? '' : '  (not provided by the studio)'}`),
    `  operations:${report.operations.length === 0 ? ' none described' : ''}`,
    ...report.operations.map((op) => `    ${op.name}  input: ${JSON.stringify(op.inputSchema)}`),
  ];
  return `${lines.join('\n')}\n`;
}
