/**
 * The runner through Direct Line over loopback, served as `greentic-studio serve` serves it (the
 * studio's HTTP server with the Direct Line mount over the StudioService), with the load client in a
 * child process (bench/directline-load-client.ts) so that the figures are the server's:
 *
 * - one conversation alone;
 * - 200 conversations open and chatting at once, each pausing 100-300 ms between messages as people
 *   do (goal: p99 under 10 ms);
 * - 1,000 conversations sending back to back, checking that every reply arrives exactly once, in the
 *   conversation it belongs to.
 *
 * The machine is shared, so each Direct Line figure is printed beside the same load played against a
 * plain HTTP echo server on the same loopback in the same run (a keep-alive POST of the same body,
 * answered by the same Node process): the ratio is steadier than the absolute figure.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import type { LoadRequest, LoadResult } from './directline-load-client';
import { playFromChild, serveBenchProject } from './directline-served';
import { percentile, printFigure } from './report';

/** A plain HTTP echo in this process: parses the JSON body and sends it back. */
async function startEchoServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const text = JSON.stringify(JSON.parse(body) as unknown);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Scenario = Omit<LoadRequest, 'target' | 'base' | 'secret'>;

async function directLine(scenario: Scenario): Promise<LoadResult> {
  const served = await serveBenchProject();
  try {
    return await playFromChild({ ...scenario, target: 'directline', base: served.directline, secret: served.secret });
  } finally {
    await served.close();
  }
}

async function echo(scenario: Scenario): Promise<LoadResult> {
  const server = await startEchoServer();
  try {
    return await playFromChild({ ...scenario, target: 'echo', base: server.url, secret: 'echo' });
  } finally {
    await server.close();
  }
}

function printLatencies(label: string, measured: LoadResult, baseline: LoadResult, goal?: { max: number }): void {
  for (const p of [50, 99]) {
    printFigure({
      name: `${label}: p${p} latency`,
      value: percentile(measured.latencies, p),
      unit: 'ms',
      baseline: percentile(baseline.latencies, p),
      ...(p === 99 && goal ? { goal } : {}),
    });
  }
  printFigure({ name: `${label}: plain HTTP echo p99 (same load)`, value: percentile(baseline.latencies, 99), unit: 'ms' });
}

const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
process.stdout.write(`load average at start: ${load()}\n`);

await directLine({ conversations: 20, turnsEach: 20, thinkMs: 0 }); // warm-up of the server's code paths

const aloneScenario: Scenario = { conversations: 1, turnsEach: 500, thinkMs: 0 };
const aloneEcho = await echo(aloneScenario);
const alone = await directLine(aloneScenario);
printLatencies('Direct Line, 1 conversation', alone, aloneEcho);

const steadyScenario: Scenario = { conversations: 200, turnsEach: 20, thinkMs: 200 };
const steadyEcho = await echo(steadyScenario);
const steady = await directLine(steadyScenario);
printFigure({ name: 'Direct Line, 200 conversations chatting: turns per second', value: steady.latencies.length / steady.seconds, unit: 'turns/s' });
printLatencies('Direct Line, 200 conversations chatting', steady, steadyEcho, { max: 10 });

const crowdScenario: Scenario = { conversations: 1000, turnsEach: 3, thinkMs: 0 };
const crowd = await directLine(crowdScenario);
printFigure({ name: 'Direct Line, 1,000 conversations back to back: turns/s', value: crowd.latencies.length / crowd.seconds, unit: 'turns/s' });
printFigure({ name: 'Direct Line, 1,000 conversations: p99 latency', value: percentile(crowd.latencies, 99), unit: 'ms' });
const checked = [alone, steady, crowd];
const sum = (pick: (result: LoadResult) => number) => checked.reduce((total, result) => total + pick(result), 0);
printFigure({ name: 'Direct Line, all runs: replies lost', value: sum((r) => r.lost), unit: 'turns', goal: { max: 0 } });
printFigure({ name: 'Direct Line, all runs: replies duplicated', value: sum((r) => r.duplicated), unit: 'turns', goal: { max: 0 } });
printFigure({ name: 'Direct Line, all runs: replies misdelivered', value: sum((r) => r.misdelivered), unit: 'replies', goal: { max: 0 } });
process.stdout.write(`load average at end: ${load()}\n`);
if (sum((r) => r.lost + r.duplicated + r.misdelivered) > 0) process.exitCode = 1;
