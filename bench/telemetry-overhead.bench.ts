/**
 * What tracing costs the in-process runner: turns of the 5-node flow per second of the runner's CPU
 * with telemetry off, with metrics only, with tracing on and an always-off sampler, and exporting by
 * OTLP/HTTP to a collector in another process (a tenth of the turns sampled, then every turn). The
 * runner is one thread, so on an idle core turns per CPU second is its throughput; counting CPU
 * rather than wall time keeps the ratios steady when other work shares the machine (wall-clock
 * rates are printed too). Each mode runs in a process of its own, the modes alternating, three
 * times; the median run counts. Goal: tracing on keeps at least 75% of the throughput.
 *
 * The same modes are then measured as `serve` runs turns: the flow behind Direct Line, its turns
 * sent by a load client in another process, the server's CPU counted (informative: the goal is the
 * in-process runner's).
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { TelemetrySwitch } from '../src/runtime/telemetry/telemetry-switch';
import type { LoadRequest } from './directline-load-client';
import { playFromChild, serveBenchProject } from './directline-served';
import { flowInput } from '../src/runtime/chat/envelope';
import { BuiltinHost } from '../src/runtime/components/builtin';
import { FlowCatalog } from '../src/runtime/engine/catalog';
import { FlowEngine } from '../src/runtime/engine/engine';
import { telemetryConfig } from '../src/runtime/telemetry/config';
import { Telemetry } from '../src/runtime/telemetry/telemetry';
import { compileFlow } from '../src/shared/flow';
import { printFigure } from './report';
import { FIVE_NODE_FLOW } from './runner-flow';

const MODES = {
  off: null,
  metricsOnly: { OTEL_TRACES_EXPORTER: 'none' },
  sampledOut: { OTEL_TRACES_SAMPLER: 'always_off', OTEL_METRICS_EXPORTER: 'none' },
  tenth: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
  exporting: { OTEL_TRACES_SAMPLER: 'always_on' },
} as const;
type Mode = keyof typeof MODES;
interface Run {
  /** Turns per second of the runner process's CPU (user and system, all its threads). */
  cpuRate: number;
  /** Turns per second of wall time. */
  wallRate: number;
  exported: number;
  dropped: number;
}
type Channel = 'engine' | 'directline';
const PASSES = 3;
const TURNS = 20_000;
/** Direct Line: conversations sending back to back, and turns each. */
const SERVED = { conversations: 20, turnsEach: 400 };

const mode = process.env.TELEMETRY_BENCH_MODE as Mode | undefined;
const channel = (process.env.TELEMETRY_BENCH_CHANNEL ?? 'engine') as Channel;
if (process.env.TELEMETRY_BENCH_COLLECTOR) await serveCollector();
else if (mode) process.stdout.write(`${JSON.stringify(channel === 'directline' ? await measureServed(mode) : await measure(mode))}\n`);
else await report();

/** The OTEL_* environment of a mode, exporting to the report's collector; null when telemetry is off. */
function modeEnvironment(name: Mode): Record<string, string> | null {
  const env = MODES[name];
  const port = process.env.TELEMETRY_BENCH_PORT;
  // Without the report's collector every export would fail, and the run would measure failed exports.
  if (env && !port) throw new Error('TELEMETRY_BENCH_PORT must name the collector: run the benchmark without TELEMETRY_BENCH_MODE');
  return env ? { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_BSP_SCHEDULE_DELAY: '200', ...env } : null;
}

/** A collector on loopback that takes every export and answers at once; prints its port, then the bytes it took when stdin closes. */
async function serveCollector(): Promise<void> {
  const { createServer } = await import('node:http');
  let received = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (received += chunk.length));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
  process.stdin.resume();
  await once(process.stdin, 'end');
  process.stderr.write(`received ${received} bytes\n`);
  process.exit(0);
}

async function measure(name: Mode): Promise<Run> {
  const compiled = compileFlow(FIVE_NODE_FLOW).flow;
  if (!compiled) throw new Error('the benchmark flow does not compile');
  const catalog = new FlowCatalog('bench', [compiled]);
  const engine = new FlowEngine({ host: new BuiltinHost() });
  const scope = { env: 'local', tenant: 'bench', user: 'u' };
  const env = MODES[name];
  const port = process.env.TELEMETRY_BENCH_PORT;
  // Without the report's collector every export would fail, and the run would measure failing exports.
  if (env && !port) throw new Error('TELEMETRY_BENCH_PORT must name the collector: run the benchmark without TELEMETRY_BENCH_MODE');
  const endpoint = `http://127.0.0.1:${port}`;
  const telemetry = env ? new Telemetry(telemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '200', ...env })) : null;

  async function turns(count: number): Promise<{ cpuRate: number; wallRate: number }> {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i += 1) {
      const input = flowInput({ env: 'local', tenant: 'bench', channel: 'bench', conversation: `c${i % 100}`, user: 'u', userVerified: false }, { text: `m${i}` });
      const traced = telemetry?.startTurn({ scope: { env: 'local', tenant: 'bench', sessionKey: `bench:c${i % 100}`, channel: 'bench' }, cause: 'studio' });
      const outcome = await engine.runTurn({ catalog, flowId: 'bench', input, scope, ...(traced?.observe ? { observer: traced.observe } : {}), observedEvents: traced?.observedEvents });
      if (outcome.status !== 'completed' || outcome.replies.length !== 2) throw new Error(`unexpected outcome ${JSON.stringify(outcome)}`);
      // A server takes its turns from I/O, so the event loop (and the exporter's requests) run between them.
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    // What the exporter still owes for these turns is part of their cost.
    await telemetry?.flush();
    const used = process.cpuUsage(cpu);
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    return { cpuRate: count / ((used.user + used.system) / 1e6), wallRate: count / wall };
  }

  await turns(5_000);
  let best = { cpuRate: 0, wallRate: 0 };
  for (let round = 0; round < 3; round += 1) {
    const run = await turns(TURNS);
    if (run.cpuRate > best.cpuRate) best = run;
  }
  const status = telemetry?.status();
  await telemetry?.shutdown();
  return { ...best, exported: status?.spansExported ?? 0, dropped: status?.spansDropped ?? 0 };
}

/** The 5-node flow served as `serve` serves a project, its turns sent over Direct Line by a load client in another process. */
async function measureServed(name: Mode): Promise<Run> {
  const env = modeEnvironment(name);
  const telemetry = new TelemetrySwitch();
  if (env) await telemetry.configure(env, {});
  const served = await serveBenchProject(telemetry);
  const request = (turnsEach: number): LoadRequest => ({ target: 'directline', base: served.directline, secret: served.secret, conversations: SERVED.conversations, turnsEach, thinkMs: 0 });
  try {
    await playFromChild(request(20));
    // The first export loads the exporter's modules: done before the count starts.
    await telemetry.current()?.flush();
    const cpu = process.cpuUsage();
    const result = await playFromChild(request(SERVED.turnsEach));
    await telemetry.current()?.flush();
    const used = process.cpuUsage(cpu);
    if (result.lost + result.duplicated + result.misdelivered > 0) throw new Error(`replies went wrong: ${JSON.stringify({ ...result, latencies: undefined })}`);
    const turns = result.latencies.length;
    const status = telemetry.current()?.status();
    return { cpuRate: turns / ((used.user + used.system) / 1e6), wallRate: turns / result.seconds, exported: status?.spansExported ?? 0, dropped: status?.spansDropped ?? 0 };
  } finally {
    await served.close();
    await telemetry.shutdown();
  }
}

async function report(): Promise<void> {
  const collector = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, TELEMETRY_BENCH_COLLECTOR: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [firstLine] = (await once(collector.stdout, 'data')) as [Buffer];
  const port = firstLine.toString().trim();
  const engine = runModes('engine', port);
  const served = runModes('directline', port);
  collector.stdin.end();
  await once(collector, 'exit');

  const inProcess = reportChannel(engine, '');
  inProcess.figure('metricsOnly', 'metrics only: throughput kept', true);
  inProcess.figure('sampledOut', 'always_off sampler: throughput kept', true);
  inProcess.figure('tenth', '10% sampled: throughput kept', true);
  inProcess.figure('exporting', 'every turn exported: throughput kept', true);
  // Six spans a turn: the turn and its five nodes (built-in components get no span of their own).
  printFigure({ name: 'every turn exported: CPU per turn added', value: inProcess.addedMicros('exporting'), unit: 'µs' });
  printFigure({ name: 'every turn exported: spans exported / dropped', value: inProcess.median('exporting').exported, unit: `spans / ${inProcess.median('exporting').dropped} dropped` });

  const throughServe = reportChannel(served, 'Direct Line, ');
  for (const name of ['metricsOnly', 'sampledOut', 'tenth', 'exporting'] as const) throughServe.figure(name, `Direct Line, ${name}: throughput kept`, false);
  printFigure({ name: 'Direct Line, every turn exported: CPU per turn added', value: throughServe.addedMicros('exporting'), unit: 'µs' });
}

/** Every mode of one channel, each in a fresh process, the modes alternating, `PASSES` times. */
function runModes(channel: Channel, port: string): Record<Mode, Run[]> {
  const runs = {} as Record<Mode, Run[]>;
  for (let pass = 0; pass < PASSES; pass += 1) {
    for (const name of Object.keys(MODES) as Mode[]) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
        env: { ...process.env, TELEMETRY_BENCH_MODE: name, TELEMETRY_BENCH_PORT: port, TELEMETRY_BENCH_CHANNEL: channel },
        encoding: 'utf8',
      });
      if (child.status !== 0) throw new Error(`the ${channel} ${name} run failed: ${child.stderr}`);
      (runs[name] ??= []).push(JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as Run);
    }
  }
  return runs;
}

/** Prints a channel's rates (median runs) and gives its ratios to telemetry off. */
function reportChannel(runs: Record<Mode, Run[]>, prefix: string) {
  const median = (name: Mode): Run => [...runs[name]].sort((a, b) => a.cpuRate - b.cpuRate)[Math.floor(PASSES / 2)] as Run;
  const off = median('off');
  const labels: Record<Mode, string> = {
    off: 'telemetry off',
    metricsOnly: 'metrics only, no tracing',
    sampledOut: 'tracing on, always_off sampler',
    tenth: 'tracing + metrics, 10% of turns sampled',
    exporting: 'tracing + metrics, every turn exported',
  };
  for (const name of Object.keys(MODES) as Mode[]) {
    const run = median(name);
    printFigure({ name: `${prefix}${labels[name]}: turns per CPU second`, value: run.cpuRate, unit: 'turns/s', ...(name === 'off' ? {} : { baseline: off.cpuRate }) });
    printFigure({ name: `${prefix}${labels[name]}: turns per second (wall)`, value: run.wallRate, unit: 'turns/s', ...(name === 'off' ? {} : { baseline: off.wallRate }) });
  }
  return {
    median,
    figure: (name: Mode, label: string, withGoal: boolean) =>
      printFigure({ name: label, value: (median(name).cpuRate / off.cpuRate) * 100, unit: '%', ...(withGoal ? { goal: { min: 75 } } : {}) }),
    addedMicros: (name: Mode) => (1 / median(name).cpuRate - 1 / off.cpuRate) * 1e6,
  };
}
