import type { MessagePort } from 'node:worker_threads';
import type { ComponentDescription } from '../../host';
import type { InvokeRequest } from '../envelope';
import type { RunnableComponent, RunOutcome } from '../runner';

/** Shared flags between the pool and one worker (an Int32Array over a SharedArrayBuffer). */
export const FLAG_REPLY_READY = 0;
export const FLAG_CANCELLED = 1;
export const FLAG_COUNT = 2;

export interface WorkerStart {
  flags: SharedArrayBuffer;
  /** The worker's end of the host-call channel; it reads replies only with receiveMessageOnPort. */
  hostPort: MessagePort;
}

/**
 * A component travels to a worker once; later jobs name it by key only, which keeps a call's message
 * small (the pool remembers what each worker has been sent).
 */
export type ComponentRef = { key: string; component?: RunnableComponent };

export type JobMessage =
  | { type: 'invoke'; jobId: number; component: ComponentRef; request: InvokeRequest; instanceKey: string }
  | { type: 'describe'; jobId: number; component: ComponentRef; componentId: string }
  | { type: 'describe-cbor'; jobId: number; component: ComponentRef };

/** `started` comes before the job's reply, once its instance is loaded and the call itself begins. */
export type JobProgress = { type: 'started'; jobId: number };

export type JobReply =
  | { type: 'invoked'; jobId: number; outcome: RunOutcome }
  | { type: 'described'; jobId: number; description: ComponentDescription | null }
  | { type: 'described-cbor'; jobId: number; bytes: Uint8Array | null }
  | { type: 'failed'; jobId: number; code: string; message: string };
