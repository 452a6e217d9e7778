import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { OnEventResponse } from './handler';

/** Okta ids and messages fit easily; CloudFormation refuses a response body over 4096 bytes. */
const MAX_REASON_CHARS = 1000;
/** Stands in for the physical id of a resource whose Create failed (the rollback's Delete then has one). */
export const CREATE_FAILED_PHYSICAL_ID = 'FRONTLINE-BOOTSTRAP-CREATE-FAILED';

export interface CfnResponseBody {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, string>;
}

/** PUTs the body to the pre-signed ResponseURL (S3 wants no content type). */
export type SendResponse = (url: string, body: CfnResponseBody) => Promise<void>;

export const sendResponse: SendResponse = async (url, body) => {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': '' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`CloudFormation response PUT answered ${response.status}`);
};

/**
 * Serves CloudFormation directly (a Lambda-backed custom resource) so that a failure's Reason is the error's
 * message and nothing else: the custom-resources Provider framework sends `error.stack`, which carries bundle
 * paths and frames into the stack's events. An event without an https ResponseURL comes from that framework (a
 * stack deployed before this change, removing its old resources): it gets the plain onEvent answer.
 */
export function cloudFormationResponder(
  onEvent: (event: CloudFormationCustomResourceEvent) => Promise<OnEventResponse>,
  send: SendResponse = sendResponse,
) {
  return async (event: CloudFormationCustomResourceEvent): Promise<OnEventResponse | undefined> => {
    if (!/^https:\/\//.test(event.ResponseURL)) return onEvent(event);
    const common = {
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    };
    let body: CfnResponseBody;
    try {
      const result = await onEvent(event);
      body = { Status: 'SUCCESS', ...common, ...result };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      body = {
        Status: 'FAILED',
        Reason: message.slice(0, MAX_REASON_CHARS),
        PhysicalResourceId:
          event.RequestType === 'Create' ? CREATE_FAILED_PHYSICAL_ID : event.PhysicalResourceId,
        ...common,
      };
    }
    await send(event.ResponseURL, body);
    return undefined;
  };
}
