import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface WorkQueueProps {
  /** Receives before a work item is parked in the dead-letter queue. */
  readonly maxReceiveCount: number;
  /**
   * How long a received item stays invisible. Lambda's guidance for SQS sources is at least 6× the consumer's
   * timeout, so a batch that is retried by the poller is not redelivered while still being processed.
   */
  readonly visibilityTimeout: Duration;
}

/**
 * The work queue between the receiver (and the reconcile) and the worker: FIFO so one user's items (message
 * group = user id) are never converged concurrently and redelivered events are deduplicated; a FIFO dead-letter
 * queue keeps what failed `maxReceiveCount` times for inspection and replay (docs/runbook.md).
 */
export class WorkQueue extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;

  public constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The maximum: parked items wait for a human, who may be on holiday.
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      fifo: true,
      // Deduplication ids come from the event uuid + user id (src/domain/work-item.ts), not from the body.
      contentBasedDeduplication: false,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
  }
}
