import type { CloudFormationCustomResourceCreateEvent } from 'aws-lambda';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { createBootstrapHandler } from '../../src/bootstrap/handler';
import { BOOTSTRAP_RESOURCE_TYPES } from '../../src/bootstrap/resource-types';
import { setupApp } from '../../src/app-guard/setup';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { registerEventHook } from '../../src/okta/event-hooks';
import { clientFor } from '../app-guard/helpers';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startOktaEmulator({ seed: 'demo', rateLimits: false });
});
afterAll(() => emu.stop());
beforeEach(() => emu.control.reset('demo'));

function createApp(properties: Record<string, unknown>): CloudFormationCustomResourceCreateEvent {
  return {
    RequestType: 'Create',
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:bootstrap',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/',
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Frontline/1',
    RequestId: 'request-1',
    LogicalResourceId: 'OktaApp',
    ResourceType: BOOTSTRAP_RESOURCE_TYPES.app,
    ResourceProperties: {
      ServiceToken: 'token',
      RealmSid: DEMO.realmSid,
      AppLabel: 'Twilio Frontline',
      AppId: DEMO.appId,
      ...properties,
    },
  };
}

const handler = () =>
  createBootstrapHandler({
    okta: async () => clientFor(emu),
    readSecret: async () => {
      throw new Error('no secret is read for the app resource');
    },
    setupApp: (client, input) => setupApp(createGuardDirectory(client), input),
    registerEventHook,
    logger: { info: () => undefined, warn: () => undefined },
    now: () => new Date(),
  });
const groupAssigned = () => emu.state.raw.appGroups.get(DEMO.appId)?.has(DEMO.groupId) ?? false;

describe('Function: okta-bootstrap against the Okta emulator', () => {
  it('assigns the Frontline group to the app in group mode, and answers that it did', async () => {
    const response = await handler()(createApp({ AssignmentMode: 'group', GroupId: DEMO.groupId }));
    expect(response.Data?.GroupAssignment).toBe('assigned');
    expect(groupAssigned()).toBe(true);
    const again = await handler()(createApp({ AssignmentMode: 'group', GroupId: DEMO.groupId }));
    expect(again.Data?.GroupAssignment).toBe('already-assigned');
  });

  it('never assigns the group in user mode', async () => {
    const response = await handler()(createApp({ GroupId: DEMO.groupId }));
    expect(response.Data).not.toHaveProperty('GroupAssignment');
    expect(groupAssigned()).toBe(false);
  });
});
