import * as z from 'zod';

/**
 * One unit of work for the provisioning worker: "look at this user again". It is only a hint; the worker reads
 * the user's current state from Okta and converges, so the trigger is carried for logging and ordering only.
 */
export const WorkItemSchema = z.object({
  kind: z.literal('converge-user'),
  userId: z.string().min(1),
  /** The events that asked for this convergence (their System Log `uuid`s and types). */
  triggers: z
    .array(
      z.object({
        eventUuid: z.string().min(1),
        eventType: z.string().min(1),
        published: z.string().optional(),
      }),
    )
    .min(1),
  /** Set by the scheduled reconcile when it hands a planned change to the worker. */
  source: z.enum(['event-hook', 'reconcile', 'operator']).default('event-hook'),
});
export type WorkItem = z.infer<typeof WorkItemSchema>;

/** SQS FIFO: one user's items are never processed concurrently, and a redelivered event is deduplicated. */
export function messageGroupId(item: WorkItem): string {
  return item.userId;
}

export function deduplicationId(item: WorkItem): string {
  const uuids = item.triggers.map((t) => t.eventUuid).join(',');
  // SQS limits the id to 128 chars of [A-Za-z0-9!-~]; hash long or odd ones deterministically.
  const raw = `${uuids}:${item.userId}`;
  return /^[\x21-\x7e]{1,128}$/.test(raw) ? raw : fnv1a64(raw);
}

function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `h-${hash.toString(16).padStart(16, '0')}-${text.length}`;
}
