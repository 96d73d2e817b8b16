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

export type JobMessage =
  | { type: 'invoke'; jobId: number; component: RunnableComponent; request: InvokeRequest; instanceKey: string }
  | { type: 'describe'; jobId: number; component: RunnableComponent; componentId: string };

export type JobReply =
  | { type: 'invoked'; jobId: number; outcome: RunOutcome }
  | { type: 'described'; jobId: number; description: ComponentDescription | null }
  | { type: 'failed'; jobId: number; code: string; message: string };
