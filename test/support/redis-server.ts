import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findBinary, stopProcess, waitUntilReady } from './server-process';

/**
 * Starts a real `redis-server` (the Debian package) for a test: on loopback, on a free port, with
 * its data in a folder of its own (append-only file on, as in production, so a restart keeps the sessions) and an
 * optional password. Never relies on a server that may already run on the machine.
 */

export interface RedisServerConfig {
  password?: string;
}

export class RedisServer {
  private child: ChildProcess | null = null;
  private log = '';

  private constructor(
    private readonly binary: string,
    private readonly workDir: string,
    private readonly config: RedisServerConfig,
    private boundPort: number,
  ) {}

  /** Starts a server and resolves once it accepts clients. */
  static async start(config: RedisServerConfig = {}): Promise<RedisServer> {
    const workDir = mkdtempSync(path.join(tmpdir(), 'gs-redis-'));
    for (let attempt = 0; ; attempt += 1) {
      const server = new RedisServer(findRedisServer(), workDir, config, await freePort());
      try {
        await server.launch();
        return server;
      } catch (error) {
        // Another process may have taken the port between the probe and the bind.
        if (attempt >= 4 || !/Address already in use/.test(server.log)) throw error;
      }
    }
  }

  get port(): number {
    return this.boundPort;
  }

  /** `redis://[:password@]127.0.0.1:<port>[/db]`. */
  url(db?: number, password = this.config.password): string {
    return `redis://${password ? `:${encodeURIComponent(password)}@` : ''}127.0.0.1:${this.boundPort}${db === undefined ? '' : `/${db}`}`;
  }

  get output(): string {
    return this.log;
  }

  /** Stops the server the way an operator does (it writes its data first). */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** Kills the server without warning. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Stops the server and starts it again on the same port with the same data. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.workDir, { recursive: true, force: true });
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = null;
    await stopProcess(child, signal);
  }

  private async launch(): Promise<void> {
    const args = [
      '--port', String(this.boundPort),
      '--bind', '127.0.0.1',
      '--dir', this.workDir,
      '--save', '',
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--protected-mode', 'no',
      '--databases', '16',
      ...(this.config.password ? ['--requirepass', this.config.password] : []),
    ];
    this.log = '';
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    await waitUntilReady(child, 'redis-server', (chunk) => (this.log += chunk), (output) => (output.includes('Ready to accept connections') ? true : null));
  }
}

/** `redis-server` on PATH (or where Debian installs it), else a clear instruction. */
export function findRedisServer(): string {
  return findBinary('redis-server', ['/usr/bin', '/usr/local/bin', '/usr/sbin'], 'Install it with `apt-get install redis-server`.');
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
