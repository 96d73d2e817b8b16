import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findBinary, stopProcess, waitUntilReady } from './server-process';

/**
 * Starts a real `nats-server` (the Debian package) for a test: on loopback, on a port of its own
 * choosing, with a generated configuration for the auth mode, TLS and JetStream under test. Never
 * relies on a server that may already run on the machine.
 */

export type ServerAuth =
  | { mode: 'none' }
  | { mode: 'userpass'; user: string; password: string }
  | { mode: 'token'; token: string }
  | { mode: 'nkey'; publicKey: string }
  /** Decentralised auth: users present a JWT signed by the account (a `.creds` file). */
  | { mode: 'operator'; operatorJwt: string; accountPublicKey: string; accountJwt: string };

export interface ServerTls {
  certFile: string;
  keyFile: string;
  caFile?: string;
  /** Require clients to present a certificate signed by `caFile`. */
  verifyClients?: boolean;
}

export interface NatsServerConfig {
  auth?: ServerAuth;
  tls?: ServerTls;
  jetstream?: boolean;
}

export class NatsServer {
  private child: ChildProcess | null = null;
  private log = '';

  private constructor(
    private readonly binary: string,
    private readonly workDir: string,
    private readonly config: NatsServerConfig,
    private boundPort: number,
  ) {}

  /** Starts a server and resolves once it accepts clients. */
  static async start(config: NatsServerConfig = {}): Promise<NatsServer> {
    const server = new NatsServer(findNatsServer(), mkdtempSync(path.join(tmpdir(), 'gs-nats-')), config, -1);
    await server.launch();
    return server;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.boundPort}`;
  }

  /** Everything the server logged, for failure messages. */
  get output(): string {
    return this.log;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    await stopProcess(child);
  }

  /** Stops the server and starts it again on the same port (JetStream data is kept). */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** Stops the server and deletes its files. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.workDir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const configFile = path.join(this.workDir, 'server.conf');
    writeFileSync(configFile, renderConfig(this.config, this.boundPort, this.workDir));
    this.log = '';
    const child = spawn(this.binary, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const port = await waitUntilReady(
      child,
      'nats-server',
      (chunk) => (this.log += chunk),
      (output) => {
        const listening = Number(/Listening for client connections on [^\s]+:(\d+)/.exec(output)?.[1]) || null;
        return listening !== null && output.includes('Server is ready') ? listening : null;
      },
    );
    this.boundPort = port;
  }
}

/** `nats-server` on PATH (or in the sbin folders Debian installs it to), else a clear instruction. */
export function findNatsServer(): string {
  return findBinary('nats-server', ['/usr/sbin', '/usr/local/sbin', '/sbin'], 'Install it with `apt-get install nats-server`.');
}

function renderConfig(config: NatsServerConfig, port: number, workDir: string): string {
  const lines = [`listen: "127.0.0.1:${port}"`, 'max_payload: 1048576'];
  const auth = config.auth ?? { mode: 'none' };
  const quote = JSON.stringify;
  switch (auth.mode) {
    case 'none':
      break;
    case 'userpass':
      lines.push(`authorization { user: ${quote(auth.user)}, password: ${quote(auth.password)} }`);
      break;
    case 'token':
      lines.push(`authorization { token: ${quote(auth.token)} }`);
      break;
    case 'nkey':
      lines.push(`authorization { users: [ { nkey: ${quote(auth.publicKey)} } ] }`);
      break;
    case 'operator':
      lines.push(`operator: ${quote(auth.operatorJwt)}`, 'resolver: MEMORY', `resolver_preload: { ${auth.accountPublicKey}: ${quote(auth.accountJwt)} }`);
      break;
  }
  if (config.tls) {
    const { certFile, keyFile, caFile, verifyClients } = config.tls;
    lines.push(
      `tls { cert_file: ${quote(certFile)}, key_file: ${quote(keyFile)}${caFile ? `, ca_file: ${quote(caFile)}` : ''}${verifyClients ? ', verify: true' : ''}, timeout: 2 }`,
    );
  }
  if (config.jetstream) lines.push(`jetstream { store_dir: ${quote(path.join(workDir, 'jetstream'))} }`);
  return `${lines.join('\n')}\n`;
}
