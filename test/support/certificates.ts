import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PemFile {
  file: string;
  pem: string;
}

export interface TestCertificates {
  ca: PemFile;
  server: { cert: PemFile; key: PemFile };
  client: { cert: PemFile; key: PemFile };
  /** A CA the server does not trust, with a client certificate it signed. */
  stranger: { ca: PemFile; cert: PemFile; key: PemFile };
  dispose(): void;
}

/** A throw-away CA with a server certificate for 127.0.0.1 and client certificates, made with openssl. */
export function generateCertificates(): TestCertificates {
  const dir = mkdtempSync(path.join(tmpdir(), 'gs-nats-tls-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      const detail = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
      throw new Error(`openssl ${args[0]} failed (the TLS tests need the openssl command): ${detail}`);
    }
  };
  const makeCa = (name: string) => {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', file(`${name}.key`), '-out', file(`${name}.pem`));
  };
  const issue = (name: string, ca: string, extensions: string) => {
    writeFileSync(file(`${name}.ext`), extensions);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`));
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${ca}.pem`), '-CAkey', file(`${ca}.key`), '-CAcreateserial', '-days', '2', '-extfile', file(`${name}.ext`), '-out', file(`${name}.pem`));
  };
  makeCa('test-ca');
  makeCa('stranger-ca');
  issue('server', 'test-ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue('client', 'test-ca', 'extendedKeyUsage=clientAuth\n');
  issue('stranger', 'stranger-ca', 'extendedKeyUsage=clientAuth\n');
  const pem = (name: string): PemFile => ({ file: file(name), pem: readFileSync(file(name), 'utf8') });
  return {
    ca: pem('test-ca.pem'),
    server: { cert: pem('server.pem'), key: pem('server.key') },
    client: { cert: pem('client.pem'), key: pem('client.key') },
    stranger: { ca: pem('stranger-ca.pem'), cert: pem('stranger.pem'), key: pem('stranger.key') },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
