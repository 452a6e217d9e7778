import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import {
  type CfnResponseBody,
  cloudFormationResponder,
  CREATE_FAILED_PHYSICAL_ID,
  sendResponse,
} from '../../src/bootstrap/cfn-response';
import { BootstrapError } from '../../src/bootstrap/errors';

/** A stand-in for CloudFormation's pre-signed response URL, on loopback. */
let server: Server;
let received: { method?: string; contentType?: string; body: CfnResponseBody }[] = [];
let responseUrl = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      received.push({
        method: req.method,
        contentType: req.headers['content-type'],
        body: JSON.parse(text) as CfnResponseBody,
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response?sig=1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
});

function event(requestType: 'Create' | 'Update', url = 'https://cloudformation.example/response') {
  const common = {
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:bootstrap',
    ResponseURL: url,
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Frontline/1',
    RequestId: 'request-1',
    LogicalResourceId: 'OktaEventHook',
    ResourceType: 'Custom::FrontlineOktaEventHook',
    ResourceProperties: { ServiceToken: 'token' },
  };
  return (
    requestType === 'Create'
      ? { ...common, RequestType: 'Create' }
      : { ...common, RequestType: 'Update', PhysicalResourceId: 'who1HOOK', OldResourceProperties: {} }
  ) as CloudFormationCustomResourceEvent;
}

/** Sends to the loopback server whatever URL the event names (CloudFormation's is https). */
const toLoopback = (_url: string, body: CfnResponseBody) => sendResponse(responseUrl, body);

describe('Function: cloudFormationResponder', () => {
  it('answers FAILED with the error message only: no stack frames, no file paths', async () => {
    const error = new BootstrapError('event hook who1HOOK is ACTIVE/UNVERIFIED, not ACTIVE/VERIFIED');
    expect(error.stack).toMatch(/\n\s+at /);
    const respond = cloudFormationResponder(() => Promise.reject(error), toLoopback);

    await respond(event('Update'));

    expect(received).toHaveLength(1);
    const { body, method, contentType } = received[0]!;
    expect(method).toBe('PUT');
    expect(contentType).toBe('');
    expect(body).toEqual({
      Status: 'FAILED',
      Reason: 'event hook who1HOOK is ACTIVE/UNVERIFIED, not ACTIVE/VERIFIED',
      PhysicalResourceId: 'who1HOOK',
      StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Frontline/1',
      RequestId: 'request-1',
      LogicalResourceId: 'OktaEventHook',
    });
    expect(body.Reason).not.toMatch(/\bat |\/src\/|\.ts:/);
  });

  it('gives a failed Create a stand-in physical id, so the rollback’s Delete has one', async () => {
    const respond = cloudFormationResponder(() => Promise.reject(new Error('no credentials')), toLoopback);
    await respond(event('Create'));
    expect(received[0]?.body).toMatchObject({
      Status: 'FAILED',
      Reason: 'no credentials',
      PhysicalResourceId: CREATE_FAILED_PHYSICAL_ID,
    });
  });

  it('answers SUCCESS with the physical id and data', async () => {
    const respond = cloudFormationResponder(
      () => Promise.resolve({ PhysicalResourceId: 'who1HOOK', Data: { HookId: 'who1HOOK' } }),
      toLoopback,
    );
    await respond(event('Create'));
    expect(received[0]?.body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'who1HOOK',
      Data: { HookId: 'who1HOOK' },
    });
  });

  it('answers the old Provider framework (no https ResponseURL) by return value, sending nothing', async () => {
    const respond = cloudFormationResponder(
      () => Promise.resolve({ PhysicalResourceId: 'who1HOOK' }),
      toLoopback,
    );
    await expect(respond(event('Update', '...'))).resolves.toEqual({ PhysicalResourceId: 'who1HOOK' });
    expect(received).toEqual([]);
  });
});
