import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { LogEvent } from '../domain/hook-events';

/**
 * The receiver's hook point for `application.lifecycle.*` events of the Frontline app, on AWS: an asynchronous
 * invocation (`InvocationType: Event`, answered in milliseconds) of the reconcile Lambda with
 * `{kind: "app-check", events}`. The check itself needs the Okta SDK, which must stay out of the receiver.
 * Only each event's id, type and time are passed on. On AWS `functionName` is the reconcile's `app-check` alias,
 * whose invoke config retries a failed check and then parks it in a queue an alarm watches
 * (infra/constructs/app-check-invoke.ts); the catch-up hands off the same way.
 */
export function lambdaAppCheckTrigger(
  client: LambdaClient,
  functionName: string,
): (events: LogEvent[]) => Promise<void> {
  return async (events) => {
    const payload = {
      kind: 'app-check',
      events: events.map((e) => ({ uuid: e.uuid, eventType: e.eventType, published: e.published })),
    };
    const result = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
    if (result.StatusCode !== 202) {
      throw new Error(`app check invocation of ${functionName} answered ${String(result.StatusCode)}`);
    }
  };
}
