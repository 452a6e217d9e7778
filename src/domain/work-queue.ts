import type { WorkItem } from './work-item';

/**
 * Where the receiver and the reconcile put work for the worker: SQS FIFO on Lambda, an in-process FIFO locally.
 * `enqueue` resolves once every item is durably accepted, and rejects otherwise (the receiver then answers 5xx so
 * Okta retries).
 */
export interface WorkQueue {
  enqueue(items: readonly WorkItem[]): Promise<void>;
}
