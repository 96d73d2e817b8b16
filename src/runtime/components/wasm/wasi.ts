import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * WASI 0.2 for components, from preview2-shim's in-memory (browser) implementation: no host
 * filesystem (no preopens), no host environment, no sockets, while clocks and random work. Its
 * Node flavour would reach the real process (stdio, files, environment) through a helper thread; the
 * sandbox wants the opposite, and the in-memory flavour also lets every instance have its own stdio.
 */
export type OutputStreamName = 'stdout' | 'stderr';

export interface WasiOptions {
  /** Environment variables the component declared and the host granted; nothing else is visible. */
  env: Record<string, string>;
  /** Receives what the component writes to stdout and stderr, as text. */
  onOutput(stream: OutputStreamName, text: string): void;
}

type ShimModule = Record<string, unknown>;
interface Shim {
  cli: ShimModule & { createCli(config: object): Record<string, object> };
  clocks: ShimModule;
  filesystem: ShimModule & { types: object };
  io: ShimModule & { error: object; streams: object; poll: object };
  random: ShimModule;
}

let shim: Promise<Shim> | null = null;

function loadShim(): Promise<Shim> {
  shim ??= (async () => {
    // The package maps every subpath to its Node flavour under Node, so the in-memory files are
    // addressed beside it.
    const nodeEntry = createRequire(import.meta.url).resolve('@bytecodealliance/preview2-shim');
    const browserDir = path.join(path.dirname(nodeEntry), '..', 'browser');
    const load = (name: string) => import(pathToFileURL(path.join(browserDir, `${name}.js`)).href) as Promise<ShimModule>;
    const [cli, clocks, filesystem, io, random] = await Promise.all(['cli', 'clocks', 'filesystem', 'io', 'random'].map(load));
    return { cli, clocks, filesystem, io, random } as Shim;
  })();
  return shim;
}

/** The WASI interfaces the runner serves (unversioned names, as jco lists them). */
export const WASI_IMPORTS = [
  'wasi:cli/environment',
  'wasi:cli/exit',
  'wasi:cli/stdin',
  'wasi:cli/stdout',
  'wasi:cli/stderr',
  'wasi:cli/terminal-input',
  'wasi:cli/terminal-output',
  'wasi:cli/terminal-stdin',
  'wasi:cli/terminal-stdout',
  'wasi:cli/terminal-stderr',
  'wasi:clocks/wall-clock',
  'wasi:clocks/monotonic-clock',
  'wasi:filesystem/preopens',
  'wasi:filesystem/types',
  'wasi:io/error',
  'wasi:io/streams',
  'wasi:io/poll',
  'wasi:random/random',
  'wasi:random/insecure',
  'wasi:random/insecure-seed',
] as const;

/** The WASI import interfaces (unversioned names, as jco reads them) for one component instance. */
export async function createWasiImports(options: WasiOptions): Promise<Record<(typeof WASI_IMPORTS)[number], object>> {
  const { cli, clocks, filesystem, io, random } = await loadShim();
  const c = cli.createCli({
    environment: options.env,
    arguments: [],
    initialCwd: '/',
    stdout: capture('stdout', options.onOutput),
    stderr: capture('stderr', options.onOutput),
  });
  return {
    'wasi:cli/environment': c.environment!,
    'wasi:cli/exit': c.exit!,
    'wasi:cli/stdin': c.stdin!,
    'wasi:cli/stdout': c.stdout!,
    'wasi:cli/stderr': c.stderr!,
    'wasi:cli/terminal-input': c.terminalInput!,
    'wasi:cli/terminal-output': c.terminalOutput!,
    'wasi:cli/terminal-stdin': c.terminalStdin!,
    'wasi:cli/terminal-stdout': c.terminalStdout!,
    'wasi:cli/terminal-stderr': c.terminalStderr!,
    'wasi:clocks/wall-clock': clocks.wallClock as object,
    'wasi:clocks/monotonic-clock': clocks.monotonicClock as object,
    'wasi:filesystem/preopens': { getDirectories: () => [] },
    'wasi:filesystem/types': filesystem.types,
    'wasi:io/error': io.error,
    'wasi:io/streams': io.streams,
    'wasi:io/poll': io.poll,
    'wasi:random/random': random.random as object,
    'wasi:random/insecure': random.insecure as object,
    'wasi:random/insecure-seed': random.insecureSeed as object,
  };
}

function capture(stream: OutputStreamName, onOutput: WasiOptions['onOutput']) {
  const decoder = new TextDecoder();
  return {
    write(bytes: Uint8Array) {
      const text = decoder.decode(bytes, { stream: true });
      if (text) onOutput(stream, text);
    },
    flush() {},
    blockingFlush() {},
  };
}
