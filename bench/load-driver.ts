import type { NatsConnection } from '@nats-io/transport-node';
import { percentile } from './report';

/** Round-trip latency and throughput of a closed-loop load. */
export interface LoadResult {
  p50: number;
  p99: number;
  throughput: number;
}

/**
 * Runs `turns` round trips from `concurrency` loops, each waiting for its answer before it sends
 * the next: loop `index` always calls `roundTrip(index, n)`, `n` counting the round trips issued.
 */
export async function drive(turns: number, concurrency: number, roundTrip: (index: number, turn: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let issued = 0;
  const loop = async (index: number) => {
    while (issued < turns) {
      issued += 1;
      const start = process.hrtime.bigint();
      await roundTrip(index, issued);
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, (_, index) => loop(index)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), throughput: latencies.length / seconds };
}

/**
 * Subscribes to egress `subject` and returns `expect(chatId)`: a promise of the next reply to that
 * chat. One reply is awaited per chat at a time, as a closed loop does.
 */
export async function egressReplies(nc: NatsConnection, subject: string): Promise<(chatId: string) => Promise<void>> {
  const waiting = new Map<string, () => void>();
  nc.subscribe(subject, {
    callback: (error, msg) => {
      if (error) return;
      const chatId = msg.json<{ chat_id: string }>().chat_id;
      const wake = waiting.get(chatId);
      waiting.delete(chatId);
      wake?.();
    },
  });
  await nc.flush();
  return (chatId) => new Promise<void>((resolve) => waiting.set(chatId, resolve));
}
