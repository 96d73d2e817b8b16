/** In-process runner: turns per second and latency of a 5-node flow (goal: over 20,000 turns/s). */
import { flowInput } from '../src/runtime/chat/envelope';
import { BuiltinHost } from '../src/runtime/components/builtin';
import { FlowCatalog } from '../src/runtime/engine/catalog';
import { FlowEngine } from '../src/runtime/engine/engine';
import { compileFlow } from '../src/shared/flow';
import { percentile, printFigure } from './report';
import { FIVE_NODE_FLOW } from './runner-flow';

const compiled = compileFlow(FIVE_NODE_FLOW).flow;
if (!compiled) throw new Error('the benchmark flow does not compile');
const catalog = new FlowCatalog('bench', [compiled]);
const engine = new FlowEngine({ host: new BuiltinHost() });
const scope = { env: 'local', tenant: 'bench', user: 'u' };

async function turn(i: number): Promise<void> {
  const input = flowInput({ env: 'local', tenant: 'bench', channel: 'bench', conversation: `c${i % 100}`, user: 'u', userVerified: false }, { text: `m${i}` });
  const outcome = await engine.runTurn({ catalog, flowId: 'bench', input, scope });
  if (outcome.status !== 'completed' || outcome.replies.length !== 2) throw new Error(`unexpected outcome ${JSON.stringify(outcome)}`);
}

for (let i = 0; i < 5_000; i += 1) await turn(i);

const TURNS = 50_000;
const latencies: number[] = [];
const started = process.hrtime.bigint();
for (let i = 0; i < TURNS; i += 1) {
  const t0 = process.hrtime.bigint();
  await turn(i);
  latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

printFigure({ name: 'in-process 5-node flow: turns per second', value: TURNS / seconds, unit: 'turns/s', goal: { min: 20_000 } });
printFigure({ name: 'in-process 5-node flow: p50 latency', value: percentile(latencies, 50), unit: 'ms' });
printFigure({ name: 'in-process 5-node flow: p99 latency', value: percentile(latencies, 99), unit: 'ms' });
