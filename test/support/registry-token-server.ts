import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importPKCS8, SignJWT } from 'jose';

/**
 * A registry token service for tests (the Docker token protocol): `GET /token?service=&scope=` answers
 * `{token}`, a JWT signed with a throw-away EC key whose self-signed certificate the registry trusts.
 * The given user gets what the scope asks for; anyone else a token granting nothing.
 */
export class RegistryTokenServer {
  readonly service = 'greentic-test-registry';
  readonly issuer = 'greentic-test-token-service';
  /** Requests seen, with whether they carried Basic credentials. */
  readonly requests: Array<{ scope: string | null; authenticated: boolean }> = [];

  private constructor(
    private readonly server: Server,
    private readonly dir: string,
    readonly port: number,
  ) {}

  get realm(): string {
    return `http://127.0.0.1:${this.port}/token`;
  }

  get rootCertBundle(): string {
    return path.join(this.dir, 'cert.pem');
  }

  static async start(user: { name: string; password: string }): Promise<RegistryTokenServer> {
    const dir = mkdtempSync(path.join(tmpdir(), 'gs-registry-token-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-subj', '/CN=greentic-test-token', '-days', '2'], { cwd: dir, stdio: 'pipe' });
    const key = await importPKCS8(readFileSync(path.join(dir, 'key.pem'), 'utf8'), 'ES256');
    const der = readFileSync(path.join(dir, 'cert.pem'), 'utf8').replace(/-----[A-Z ]+-----|\s/g, '');
    const expected = `Basic ${Buffer.from(`${user.name}:${user.password}`).toString('base64')}`;
    let self: RegistryTokenServer | null = null;
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const scope = url.searchParams.get('scope');
      const authenticated = request.headers.authorization === expected;
      self?.requests.push({ scope, authenticated });
      if (request.headers.authorization && !authenticated) {
        response.writeHead(401).end();
        return;
      }
      const [type, name, actions] = (scope ?? '').split(':');
      const access = authenticated && type && name && actions ? [{ type, name, actions: actions.split(',') }] : [];
      const now = Math.floor(Date.now() / 1000);
      void new SignJWT({ access })
        .setProtectedHeader({ alg: 'ES256', x5c: [der] })
        .setIssuer(self!.issuer)
        .setSubject(authenticated ? user.name : '')
        .setAudience(url.searchParams.get('service') ?? '')
        .setIssuedAt(now)
        .setNotBefore(now - 60)
        .setExpirationTime(now + 300)
        .setJti(randomUUID())
        .sign(key)
        .then((token) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token })));
    });
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    self = new RegistryTokenServer(server, dir, port);
    return self;
  }

  async dispose(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
