import os from 'node:os';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { ComponentDescription } from '../../host';
import type { InvokeRequest } from '../envelope';
import { WasmComponentError, type WasmErrorCode } from '../errors';
import { RUNNER_ERROR_CODES, runnerError } from '../failures';
import type { HostCall } from '../host-calls';
import type { RunnableComponent, RunOutcome } from '../runner';
import type { CallScope, HostServices } from '../services/host-services';
import { FLAG_CANCELLED, FLAG_COUNT, FLAG_REPLY_READY, type JobMessage, type JobProgress, type JobReply, type WorkerStart } from './protocol';
import { resolveWorkerScript } from './worker-script';

/** How long a worker may take to load a component and make its instance, apart from the call's wall time. */
export const LOADING_LIMIT_MS = 30_000;

export interface PoolOptions {
  services: HostServices;
  /** Worker threads; default 2 (or 1 on a single-core machine). */
  size?: number;
  /** Bound of each worker's JavaScript heap, in MB (WebAssembly memory is capped per component). */
  maxHeapMb?: number;
  /** How long a cancelled call may take to notice before its worker is stopped. */
  cancelGraceMs?: number;
}

export interface PoolInvocation {
  component: RunnableComponent;
  request: InvokeRequest;
  /** Calls with the same key reuse one instance while it lives (the session). */
  instanceKey: string;
  scope: CallScope;
  wallTimeMs: number;
  signal?: AbortSignal;
}

type Settle = (reply: JobReply | { type: 'lost'; code: string; message: string }) => void;

interface PendingJob {
  message: JobMessage;
  component: RunnableComponent;
  scope: CallScope;
  wallTimeMs: number;
  signal?: AbortSignal;
  affinity?: string;
  settle: Settle;
}

interface Slot {
  worker: Worker;
  hostPort: MessagePort;
  flags: Int32Array;
  job: PendingJob | null;
  /** When the running call's wall time is up (performance.now() time). */
  deadline: number;
  /**
   * The slot's one watchdog timer, armed for `watchdogAt`, left running across calls: a call that
   * ends before it fires costs no timer work, and on firing it re-arms for the call then running.
   */
  watchdog: NodeJS.Timeout | null;
  watchdogAt: number;
  /** Instance keys this worker has served, so a session keeps landing where its instance lives. */
  affinities: Set<string>;
  /** Keys of the components this worker has been sent. */
  known: Set<string>;
  /** Stops listening to the running call's abort signal. */
  unlisten: (() => void) | null;
}

/**
 * Runs components on worker threads, never on the thread that serves the UI or Direct Line. Each call
 * is bounded by its wall time: a worker that overruns is terminated and replaced, and the call becomes
 * a node error; a worker that dies does the same to its call only.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: PendingJob[] = [];
  private nextJobId = 1;
  private closed = false;
  private readonly size: number;

  constructor(private readonly options: PoolOptions) {
    this.size = Math.max(1, options.size ?? Math.min(2, os.availableParallelism()));
  }

  invoke(invocation: PoolInvocation): Promise<RunOutcome> {
    const { component, request, instanceKey } = invocation;
    return new Promise((resolve) => {
      this.enqueue({
        message: { type: 'invoke', jobId: this.nextJobId++, component: { key: keyOf(component) }, request, instanceKey },
        component,
        scope: invocation.scope,
        wallTimeMs: invocation.wallTimeMs,
        ...(invocation.signal ? { signal: invocation.signal } : {}),
        affinity: `${component.transpiled.hash}|${instanceKey}`,
        settle: (reply) => {
          if (reply.type === 'invoked') resolve(reply.outcome);
          else if (reply.type === 'lost') resolve({ result: { ok: false, error: { code: reply.code, message: reply.message, retryable: false } }, logs: [] });
          else resolve({ result: { ok: false, error: runnerError(RUNNER_ERROR_CODES.unavailable, 'message' in reply ? reply.message : 'unexpected reply') }, logs: [] });
        },
      });
    });
  }

  describe(component: RunnableComponent, componentId: string, scope: CallScope, wallTimeMs: number): Promise<ComponentDescription | null> {
    return new Promise((resolve, reject) => {
      this.enqueue({
        message: { type: 'describe', jobId: this.nextJobId++, component: { key: keyOf(component) }, componentId },
        component,
        scope,
        wallTimeMs,
        settle: (reply) => {
          if (reply.type === 'described') resolve(reply.description);
          else if (reply.type === 'failed' || reply.type === 'lost') reject(new WasmComponentError(asWasmCode(reply.code), `describe() of ${componentId} failed: ${reply.message}`));
          else resolve(null);
        },
      });
    });
  }

  /** The CBOR of the component's `component-descriptor.describe()`; null when it has no such export. */
  describeCbor(component: RunnableComponent, componentId: string, scope: CallScope, wallTimeMs: number): Promise<Uint8Array | null> {
    return new Promise((resolve, reject) => {
      this.enqueue({
        message: { type: 'describe-cbor', jobId: this.nextJobId++, component: { key: keyOf(component) } },
        component,
        scope,
        wallTimeMs,
        settle: (reply) => {
          if (reply.type === 'described-cbor') resolve(reply.bytes);
          else if (reply.type === 'failed' || reply.type === 'lost') reject(new WasmComponentError(asWasmCode(reply.code), `describe() of ${componentId} failed: ${reply.message}`));
          else reject(new WasmComponentError('io_error', `describe() of ${componentId} got a reply of another job`));
        },
      });
    });
  }

  /** Stops every worker; queued calls end as node errors. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.settle({ type: 'lost', code: RUNNER_ERROR_CODES.unavailable, message: 'the component runner was stopped' });
    await Promise.all(this.slots.splice(0).map((slot) => this.retire(slot, { type: 'lost', code: RUNNER_ERROR_CODES.unavailable, message: 'the component runner was stopped' })));
  }

  private enqueue(job: PendingJob): void {
    if (this.closed) {
      job.settle({ type: 'lost', code: RUNNER_ERROR_CODES.unavailable, message: 'the component runner was stopped' });
      return;
    }
    if (job.signal?.aborted) {
      job.settle({ type: 'lost', code: RUNNER_ERROR_CODES.cancelled, message: 'the call was cancelled before it started' });
      return;
    }
    this.queue.push(job);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.idleSlot(this.queue[0]!.affinity);
      if (!slot) return;
      this.start(slot, this.queue.shift()!);
    }
  }

  /** An idle worker, the one that already holds the job's instance if any; a new one while under size. */
  private idleSlot(affinity: string | undefined): Slot | null {
    let idle: Slot | null = null;
    for (const slot of this.slots) {
      if (slot.job) continue;
      if (affinity !== undefined && slot.affinities.has(affinity)) return slot;
      idle ??= slot;
    }
    if (idle || this.slots.length >= this.size) return idle;
    const spawned = this.spawn();
    this.slots.push(spawned);
    return spawned;
  }

  private start(slot: Slot, job: PendingJob): void {
    slot.job = job;
    if (job.affinity) {
      // Only a hint; forgetting old sessions keeps the set bounded.
      if (slot.affinities.size >= 1024) slot.affinities.clear();
      slot.affinities.add(job.affinity);
    }
    slot.worker.ref();
    Atomics.store(slot.flags, FLAG_CANCELLED, 0);
    // Loading the component (a new worker, its first instance) is not the component's own time: its
    // wall time starts when the worker says the call has begun; until then the loading bound holds.
    this.setDeadline(slot, job.message.type === 'invoke' ? Math.max(LOADING_LIMIT_MS, job.wallTimeMs) : job.wallTimeMs);
    const signal = job.signal;
    if (signal) {
      const onAbort = () => {
        Atomics.store(slot.flags, FLAG_CANCELLED, 1);
        setTimeout(() => {
          if (slot.job === job) void this.retire(slot, { type: 'lost', code: RUNNER_ERROR_CODES.cancelled, message: 'the call was cancelled' });
        }, this.options.cancelGraceMs ?? 250);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      slot.unlisten = () => signal.removeEventListener('abort', onAbort);
    }
    const ref = job.message.component;
    const message = slot.known.has(ref.key) ? job.message : { ...job.message, component: { key: ref.key, component: job.component } };
    slot.known.add(ref.key);
    slot.worker.postMessage(message);
  }

  private setDeadline(slot: Slot, inMs: number): void {
    slot.deadline = performance.now() + inMs;
    if (slot.watchdog === null || slot.watchdogAt > slot.deadline) this.armWatchdog(slot, inMs);
  }

  private armWatchdog(slot: Slot, delayMs: number): void {
    if (slot.watchdog) clearTimeout(slot.watchdog);
    slot.watchdogAt = performance.now() + delayMs;
    // The busy worker keeps the process alive, not its watchdog.
    slot.watchdog = setTimeout(() => this.watch(slot), delayMs).unref();
  }

  private watch(slot: Slot): void {
    slot.watchdog = null;
    const job = slot.job;
    if (!job) return;
    const left = slot.deadline - performance.now();
    if (left > 0) {
      this.armWatchdog(slot, left);
      return;
    }
    void this.retire(slot, { type: 'lost', code: RUNNER_ERROR_CODES.timeout, message: `the component did not finish within its wall-time limit of ${job.wallTimeMs} ms` });
  }

  private finish(slot: Slot, reply: JobReply | JobProgress): void {
    const job = slot.job;
    if (!job || job.message.jobId !== reply.jobId) return;
    if (reply.type === 'started') {
      this.setDeadline(slot, job.wallTimeMs);
      return;
    }
    this.release(slot);
    job.settle(reply);
    this.dispatch();
  }

  private release(slot: Slot): void {
    slot.worker.unref();
    slot.unlisten?.();
    slot.unlisten = null;
    slot.job = null;
  }

  /** Ends a worker (timeout, crash, shutdown) and settles its call with `reason`. */
  private async retire(slot: Slot, reason: { type: 'lost'; code: string; message: string }): Promise<void> {
    const job = slot.job;
    this.release(slot);
    if (slot.watchdog) clearTimeout(slot.watchdog);
    slot.watchdog = null;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    slot.hostPort.close();
    job?.settle(reason);
    await slot.worker.terminate();
    if (!this.closed) this.dispatch();
  }

  private spawn(): Slot {
    const flags = new Int32Array(new SharedArrayBuffer(FLAG_COUNT * Int32Array.BYTES_PER_ELEMENT));
    const channel = new MessageChannel();
    const script = resolveWorkerScript(import.meta.url);
    const start: WorkerStart = { flags: flags.buffer as SharedArrayBuffer, hostPort: channel.port2 };
    const worker = new Worker(script.url, {
      workerData: start,
      transferList: [channel.port2],
      eval: script.eval,
      env: {},
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 512 },
    });
    const slot: Slot = {
      worker,
      hostPort: channel.port1,
      flags,
      job: null,
      deadline: 0,
      watchdog: null,
      watchdogAt: 0,
      affinities: new Set(),
      known: new Set(),
      unlisten: null,
    };
    worker.on('message', (reply: JobReply | JobProgress) => this.finish(slot, reply));
    worker.on('error', (error: Error & { code?: string }) => {
      const memory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      void this.retire(slot, {
        type: 'lost',
        code: memory ? RUNNER_ERROR_CODES.memory : RUNNER_ERROR_CODES.crashed,
        message: memory ? 'the component exhausted the runner memory' : `the component runner crashed: ${error.message}`,
      });
    });
    worker.on('exit', () => {
      if (this.slots.includes(slot)) void this.retire(slot, { type: 'lost', code: RUNNER_ERROR_CODES.crashed, message: 'the component runner exited' });
    });
    channel.port1.on('message', (call: HostCall) => void this.answer(slot, call));
    channel.port1.unref();
    // An idle worker never keeps the process alive, a busy one does (start and release). After the
    // listeners: adding a 'message' listener refs the worker's port again.
    worker.unref();
    return slot;
  }

  private async answer(slot: Slot, call: HostCall): Promise<void> {
    const job = slot.job;
    const reply = job
      ? await this.options.services.handle(call, job.scope)
      : { ok: false, error: { code: 'internal', message: 'host call outside of a component call' } };
    if (slot.job !== job || !this.slots.includes(slot)) return;
    slot.hostPort.postMessage(reply);
    Atomics.store(slot.flags, FLAG_REPLY_READY, 1);
    Atomics.notify(slot.flags, FLAG_REPLY_READY);
  }
}

const componentKeys = new WeakMap<RunnableComponent, string>();

/** What names a component to a worker; computed once per prepared component, not per call. */
function keyOf(component: RunnableComponent): string {
  let key = componentKeys.get(component);
  if (key === undefined) {
    key = `${component.transpiled.hash}:${component.memoryLimitBytes}:${JSON.stringify(component.env)}`;
    componentKeys.set(component, key);
  }
  return key;
}

function asWasmCode(code: string): WasmErrorCode {
  const known: WasmErrorCode[] = ['not_found', 'too_large', 'not_a_component', 'unsupported_world', 'missing_imports', 'memory_too_small', 'invalid_manifest', 'invalid_source', 'transpile_failed', 'io_error'];
  return known.includes(code as WasmErrorCode) ? (code as WasmErrorCode) : 'io_error';
}
