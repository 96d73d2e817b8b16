/**
 * A pool worker: runs components for the pool on its own thread, so a component that loops, traps or
 * exhausts memory takes down only this thread. Host calls go to the pool synchronously: post the call,
 * sleep on a shared flag, read the reply straight off the port.
 */
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { WasmComponentError } from '../errors';
import type { HostBridge, HostReply } from '../host-calls';
import { ComponentRunner, type CallHost, type RunnableComponent } from '../runner';
import { FLAG_CANCELLED, FLAG_REPLY_READY, type ComponentRef, type JobMessage, type JobProgress, type JobReply, type WorkerStart } from './protocol';

// A component's output is captured through WASI; whatever else this thread would print (a library's
// warning) must not reach the process's stdout, where `--json` commands print their one document.
const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
globalThis.console = new Console({ stdout: discard, stderr: discard });

const { flags: sharedFlags, hostPort } = workerData as WorkerStart;
const flags = new Int32Array(sharedFlags);
const runner = new ComponentRunner();
const components = new Map<string, RunnableComponent>();

const bridge: HostBridge = (kind, args) => {
  Atomics.store(flags, FLAG_REPLY_READY, 0);
  hostPort.postMessage({ kind, args });
  // No timeout here: the pool terminates this thread when the call's wall time runs out.
  Atomics.wait(flags, FLAG_REPLY_READY, 0);
  const reply = receiveMessageOnPort(hostPort);
  if (!reply) throw new Error('the runner answered a host call without a reply');
  return reply.message as HostReply<typeof kind>;
};

const host: CallHost = { bridge, shouldCancel: () => Atomics.load(flags, FLAG_CANCELLED) === 1 };

parentPort?.on('message', (job: JobMessage) => {
  void run(job).then((reply) => parentPort?.postMessage(reply));
});

function resolve(ref: ComponentRef): RunnableComponent {
  if (ref.component) components.set(ref.key, ref.component);
  const component = components.get(ref.key);
  if (!component) throw new Error(`the pool named component ${ref.key} without sending it`);
  return component;
}

async function run(job: JobMessage): Promise<JobReply> {
  try {
    if (job.type === 'invoke') {
      const started = () => parentPort?.postMessage({ type: 'started', jobId: job.jobId } satisfies JobProgress);
      const outcome = await runner.invoke(resolve(job.component), job.request, job.instanceKey, host, started);
      return { type: 'invoked', jobId: job.jobId, outcome };
    }
    if (job.type === 'describe-cbor') {
      return { type: 'described-cbor', jobId: job.jobId, bytes: await runner.describeCbor(resolve(job.component), host) };
    }
    const description = await runner.describe(resolve(job.component), job.componentId, host);
    return { type: 'described', jobId: job.jobId, description };
  } catch (error) {
    const code = error instanceof WasmComponentError ? error.code : 'component_failed';
    return { type: 'failed', jobId: job.jobId, code, message: error instanceof Error ? error.message : String(error) };
  }
}
