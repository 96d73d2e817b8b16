import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './redis-server';
import { findBinary, stopProcess, waitUntilReady } from './server-process';

/**
 * Starts a real OCI registry (Debian's `docker-registry`, the CNCF distribution server) for a test:
 * on loopback, on a free port, storing blobs in a folder of its own, optionally behind htpasswd basic
 * auth. Never relies on a registry that may already run on the machine.
 */

export interface DockerRegistryConfig {
  /** Require these credentials (htpasswd, bcrypt) for every request. */
  user?: { name: string; password: string };
  /** Require bearer tokens from this token service, signed by the key of `rootCertBundle`'s certificate. */
  token?: { realm: string; service: string; issuer: string; rootCertBundle: string };
}

export class DockerRegistry {
  private child: ChildProcess | null = null;
  private log = '';

  private constructor(
    private readonly workDir: string,
    private readonly boundPort: number,
  ) {}

  static async start(config: DockerRegistryConfig = {}): Promise<DockerRegistry> {
    const binary = findBinary('docker-registry', ['/usr/bin', '/usr/local/bin', '/usr/sbin'], 'Install it with `apt-get install docker-registry`.');
    const workDir = mkdtempSync(path.join(tmpdir(), 'gs-registry-'));
    for (let attempt = 0; ; attempt += 1) {
      const registry = new DockerRegistry(workDir, await freePort());
      registry.writeConfig(config);
      try {
        await registry.launch(binary);
        return registry;
      } catch (error) {
        // Another process may have taken the port between the probe and the bind.
        if (attempt >= 4 || !/address already in use/i.test(registry.log)) throw error;
      }
    }
  }

  get port(): number {
    return this.boundPort;
  }

  /** `127.0.0.1:<port>`, the host part of an `oci://` reference. */
  get host(): string {
    return `127.0.0.1:${this.boundPort}`;
  }

  /** The registry's storage folder (blobs under `docker/registry/v2/blobs/sha256/<2>/<hex>/data`). */
  get storage(): string {
    return path.join(this.workDir, 'data');
  }

  get output(): string {
    return this.log;
  }

  async dispose(): Promise<void> {
    const child = this.child;
    this.child = null;
    await stopProcess(child, 'SIGKILL');
    rmSync(this.workDir, { recursive: true, force: true });
  }

  private writeConfig(config: DockerRegistryConfig): void {
    const lines = [
      'version: 0.1',
      'log:',
      '  level: info',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${JSON.stringify(path.join(this.workDir, 'data'))}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${this.boundPort}`,
    ];
    if (config.user) {
      const htpasswd = path.join(this.workDir, 'htpasswd');
      writeFileSync(htpasswd, bcryptLine(config.user.name, config.user.password));
      lines.push('auth:', '  htpasswd:', '    realm: greentic-test', `    path: ${JSON.stringify(htpasswd)}`);
    } else if (config.token) {
      const { realm, service, issuer, rootCertBundle } = config.token;
      lines.push('auth:', '  token:', `    realm: ${JSON.stringify(realm)}`, `    service: ${JSON.stringify(service)}`, `    issuer: ${JSON.stringify(issuer)}`, `    rootcertbundle: ${JSON.stringify(rootCertBundle)}`);
    }
    writeFileSync(path.join(this.workDir, 'config.yml'), `${lines.join('\n')}\n`);
  }

  private async launch(binary: string): Promise<void> {
    this.log = '';
    const child = spawn(binary, ['serve', path.join(this.workDir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    await waitUntilReady(child, 'docker-registry', (chunk) => (this.log += chunk), (output) => (/listening on 127\.0\.0\.1:\d+/.test(output) ? true : null));
  }
}

/** An htpasswd line with a bcrypt hash (the only kind the registry accepts), made by apache2-utils' `htpasswd`. */
function bcryptLine(name: string, password: string): string {
  const htpasswd = findBinary('htpasswd', ['/usr/bin', '/usr/sbin'], 'Install it with `apt-get install apache2-utils`.');
  const result = spawnSync(htpasswd, ['-nbB', name, password], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`htpasswd failed: ${result.stderr}`);
  return result.stdout.trim() + '\n';
}
