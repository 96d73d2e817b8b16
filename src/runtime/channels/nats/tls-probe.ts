import net from 'node:net';
import tls from 'node:tls';
import type { NatsTls } from '../../connections/nats-profile';

const PROBE_TIMEOUT_MS = 3_000;
// With TLS 1.3 the server judges the client certificate after the client considers the handshake
// done, so its refusal arrives as an alert shortly after `secureConnect`.
const ALERT_GRACE_MS = 300;

/**
 * Finds out why a TLS connection to a NATS server fails when the client library only reports a
 * timeout (it loses the error of a client certificate the server rejected). Speaks just enough of
 * the protocol: read the plain-text INFO line, then upgrade the socket to TLS with the same options.
 * Resolves to the TLS error message, or null when TLS itself succeeds.
 */
export function probeTls(server: string, options: NatsTls): Promise<string | null> {
  const url = new URL(server.includes('://') ? server : `nats://${server}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 4222);
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    let secure: tls.TLSSocket | null = null;
    const finish = (result: string | null) => {
      clearTimeout(timer);
      secure?.destroy();
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(null), PROBE_TIMEOUT_MS);
    socket.once('error', () => finish(null));
    let info = '';
    socket.on('data', (chunk) => {
      info += chunk.toString('latin1');
      if (!info.includes('\r\n') || secure) return;
      socket.removeAllListeners('data');
      secure = tls.connect({
        socket,
        servername: net.isIP(host) ? undefined : host,
        ...(options.ca ? { ca: options.ca } : {}),
        ...(options.cert ? { cert: options.cert } : {}),
        ...(options.key ? { key: options.key } : {}),
      });
      secure.once('error', (error) => finish(error.message));
      secure.once('secureConnect', () => setTimeout(() => finish(null), ALERT_GRACE_MS));
    });
  });
}
