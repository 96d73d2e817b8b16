import net from 'node:net';

/**
 * A TCP forwarder in front of a local server, with a door the test opens and shuts: shut, it refuses
 * new connections (so a client's reconnect waits for the test, not for a timer); open connections
 * keep flowing, and each closes when the server side closes.
 */
export class TcpGate {
  private readonly sockets = new Set<net.Socket>();
  private listener: net.Server | null = null;

  private constructor(
    private readonly targetPort: number,
    private boundPort: number,
  ) {}

  static async start(targetPort: number): Promise<TcpGate> {
    const gate = new TcpGate(targetPort, 0);
    await gate.open();
    return gate;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.boundPort}`;
  }

  /** Accepts connections again, on the same port. */
  async open(): Promise<void> {
    if (this.listener) return;
    const listener = net.createServer((client) => this.forward(client));
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(this.boundPort, '127.0.0.1', () => resolve());
    });
    this.boundPort = (listener.address() as net.AddressInfo).port;
    this.listener = listener;
  }

  /** Refuses new connections until `open`. */
  async shut(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    if (listener) await new Promise<void>((resolve) => listener.close(() => resolve()));
  }

  async dispose(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const listener = this.listener;
    this.listener = null;
    if (listener) await new Promise<void>((resolve) => listener.close(() => resolve()));
  }

  private forward(client: net.Socket): void {
    const server = net.connect(this.targetPort, '127.0.0.1');
    for (const socket of [client, server]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        server.destroy();
      });
    }
    client.pipe(server);
    server.pipe(client);
  }
}
