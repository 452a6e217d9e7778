/**
 * Okta's bucket for this call is exhausted: the item must come back no earlier than `retryAt` (epoch ms, our clock).
 * The SQS handler turns this into a visibility change; the local queue into a delayed redelivery.
 */
export class RetryLaterError extends Error {
  public readonly retryAt: number;
  public constructor(message: string, retryAt: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryLaterError';
    this.retryAt = retryAt;
  }
}

/** Okta rejected the credentials even after they were fetched again: retried through the queue, then dead-lettered. */
export class CredentialsRejectedError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CredentialsRejectedError';
  }
}

/** An SQS message body that is not a WorkItem. Names the message and the field, never echoes the body. */
export class WorkItemParseError extends Error {
  public readonly messageId: string;
  public constructor(messageId: string, message: string, options?: { cause?: unknown }) {
    super(`message ${messageId}: ${message}`, options);
    this.name = 'WorkItemParseError';
    this.messageId = messageId;
  }
}

/** The epoch-ms time before which the failed item should not be retried, if the error says so. */
export function retryAtOf(error: unknown): number | undefined {
  return error instanceof RetryLaterError ? error.retryAt : undefined;
}
