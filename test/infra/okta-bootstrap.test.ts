import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { type BootstrapDeps, createBootstrapHandler } from '../../src/bootstrap/handler';
import {
  BOOTSTRAP_RESOURCE_TYPES as RESOURCE_TYPES,
  EVENT_HOOK_NAME,
} from '../../src/bootstrap/resource-types';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import type { SetupResult } from '../../src/app-guard/setup';
import type { RawOktaClient } from '../../src/okta/http';
import type { EventHookSpec } from '../../src/okta/event-hooks';

const HOOK_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hook-AbCdEf';
const HOOK_URL = 'https://abc123.execute-api.eu-west-1.amazonaws.com/okta/event-hook';
const CLIENT = { baseUrl: 'https://acme.okta.com' } as unknown as RawOktaClient;

function event(
  requestType: 'Create' | 'Update' | 'Delete',
  resourceType: string,
  properties: Record<string, unknown>,
  physicalResourceId = 'physical-id',
): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:framework',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/',
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Frontline/1',
    RequestId: 'request-1',
    LogicalResourceId: 'Resource',
    ResourceType: resourceType,
    ResourceProperties: { ServiceToken: 'token', ...properties },
  };
  if (requestType === 'Create') return { ...common, RequestType: 'Create' };
  if (requestType === 'Update') {
    return {
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: physicalResourceId,
      OldResourceProperties: { ServiceToken: 'token' },
    };
  }
  return { ...common, RequestType: 'Delete', PhysicalResourceId: physicalResourceId };
}

const APP_PROPS = {
  RealmSid: 'JB0123456789abcdef0123456789abcdef',
  AppLabel: 'Twilio Frontline',
  UsernameTemplate: '${source.email}',
};
const HOOK_PROPS = {
  Url: HOOK_URL,
  HookSecretArn: HOOK_SECRET_ARN,
  AuthHeader: 'Authorization',
  AppId: '0oa1',
  EventTypes: [...SUBSCRIBED_EVENT_TYPES],
};

const setupResult: SetupResult = {
  appId: '0oaNEW0000000000000x',
  action: 'created',
  repair: {} as SetupResult['repair'],
  groupAssignments: [],
  console: {
    idpSsoUrl: 'https://acme.okta.com/app/acme_frontline_1/exk1/sso/saml',
    idpIssuer: 'http://www.okta.com/exk1',
    certificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    certificate: {
      kid: 'kid-1',
      fingerprintSha256: 'AB:CD',
      expiresAt: '2036-01-01T00:00:00.000Z',
      daysToExpiry: 3000,
      pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      confirmed: true,
    },
  },
};

function fakes(overrides: Partial<BootstrapDeps> = {}) {
  const calls = {
    setup: [] as unknown[],
    register: [] as EventHookSpec[],
    okta: 0,
  };
  const deps: BootstrapDeps = {
    okta: async () => {
      calls.okta += 1;
      return CLIENT;
    },
    readSecret: async (arn) => {
      if (arn !== HOOK_SECRET_ARN) throw new Error(`unexpected secret ${arn}`);
      return JSON.stringify({
        current: 'current-secret-value-0123456789',
        previous: 'old-secret-value-0123456789',
      });
    },
    setupApp: async (_client, input) => {
      calls.setup.push(input);
      return setupResult;
    },
    registerEventHook: async (_client, spec) => {
      calls.register.push(spec);
      return {
        action: 'created',
        hook: { id: 'who1HOOK', status: 'ACTIVE', verificationStatus: 'VERIFIED' },
        verified: true,
        active: true,
      };
    },
    logger: { info: () => undefined, warn: () => undefined },
    now: () => new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
  return { deps, calls, onEvent: createBootstrapHandler(deps) };
}

describe('Function: okta-bootstrap (custom resource handler)', () => {
  describe('Custom::FrontlineOktaApp', () => {
    it('creates or adopts the app from the Realm SID and answers with the console values', async () => {
      const { onEvent, calls } = fakes();
      const response = await onEvent(event('Create', RESOURCE_TYPES.app, APP_PROPS));
      expect(calls.setup).toEqual([
        expect.objectContaining({
          realmSid: APP_PROPS.RealmSid,
          appId: undefined,
          label: 'Twilio Frontline',
          userNameTemplate: '${source.email}',
        }),
      ]);
      expect(response).toEqual({
        PhysicalResourceId: '0oaNEW0000000000000x',
        Data: {
          AppId: '0oaNEW0000000000000x',
          Action: 'created',
          SsoUrl: setupResult.console.idpSsoUrl,
          Issuer: 'http://www.okta.com/exk1',
          CertificatePem: setupResult.console.certificatePem,
          CertificateSha256: 'AB:CD',
          CertificateExpiresAt: '2036-01-01T00:00:00.000Z',
        },
      });
    });

    it('passes group mode and the group on to setup, and answers what it did with the group', async () => {
      const inputs: unknown[] = [];
      const { onEvent } = fakes({
        setupApp: async (_client, input) => {
          inputs.push(input);
          return { ...setupResult, groupAssignments: [{ groupId: '00gFRONTLINE', action: 'assigned' }] };
        },
      });
      const response = await onEvent(
        event('Create', RESOURCE_TYPES.app, {
          ...APP_PROPS,
          AssignmentMode: 'group',
          GroupId: '00gFRONTLINE',
        }),
      );
      expect(inputs).toEqual([
        expect.objectContaining({ assignmentMode: 'group', groupIds: ['00gFRONTLINE'] }),
      ]);
      expect(response.Data?.GroupAssignment).toBe('assigned');
    });

    it('leaves the group alone in user mode (no assignmentMode passed to setup)', async () => {
      const { onEvent, calls } = fakes();
      const response = await onEvent(
        event('Create', RESOURCE_TYPES.app, { ...APP_PROPS, GroupId: '00gFRONTLINE' }),
      );
      expect(calls.setup[0]).not.toHaveProperty('assignmentMode');
      expect(response.Data).not.toHaveProperty('GroupAssignment');
    });

    it('refuses a group id that is not one', async () => {
      const { onEvent } = fakes();
      await expect(
        onEvent(
          event('Create', RESOURCE_TYPES.app, {
            ...APP_PROPS,
            AssignmentMode: 'group',
            GroupId: 'Frontline',
          }),
        ),
      ).rejects.toThrow(/GroupId must be an Okta group id/);
    });

    it('adopts the configured app id on update', async () => {
      const { onEvent, calls } = fakes();
      await onEvent(
        event(
          'Update',
          RESOURCE_TYPES.app,
          { ...APP_PROPS, AppId: '0oaGIVEN000000000000' },
          '0oaGIVEN000000000000',
        ),
      );
      expect(calls.setup).toEqual([expect.objectContaining({ appId: '0oaGIVEN000000000000' })]);
    });

    it('keeps managing the same app on update when no app id is configured', async () => {
      const { onEvent, calls } = fakes();
      await onEvent(
        event(
          'Update',
          RESOURCE_TYPES.app,
          { ...APP_PROPS, AppLabel: 'Frontline (renamed)' },
          '0oaKEPT0000000000000',
        ),
      );
      expect(calls.setup).toEqual([
        expect.objectContaining({ appId: '0oaKEPT0000000000000', label: 'Frontline (renamed)' }),
      ]);
    });

    it('never deletes the app on stack deletion, and does not even call Okta', async () => {
      const { onEvent, calls } = fakes();
      const response = await onEvent(event('Delete', RESOURCE_TYPES.app, APP_PROPS, '0oaKEEP'));
      expect(response).toEqual({ PhysicalResourceId: '0oaKEEP' });
      expect(calls.okta).toBe(0);
      expect(calls.setup).toEqual([]);
    });

    it('fails the deploy with the property that is wrong', async () => {
      const { onEvent } = fakes();
      await expect(
        onEvent(event('Create', RESOURCE_TYPES.app, { AppLabel: 'x', UsernameTemplate: '' })),
      ).rejects.toThrow(/Custom::FrontlineOktaApp properties: RealmSid .*UsernameTemplate/);
    });
  });

  describe('Custom::FrontlineOktaEventHook', () => {
    it('registers the hook at the API URL with the secret’s current value and the receiver’s event types', async () => {
      const { onEvent, calls } = fakes();
      const response = await onEvent(event('Create', RESOURCE_TYPES.eventHook, HOOK_PROPS));
      expect(calls.register).toEqual([
        {
          name: EVENT_HOOK_NAME,
          url: HOOK_URL,
          eventTypes: SUBSCRIBED_EVENT_TYPES,
          authHeader: 'Authorization',
          secret: 'current-secret-value-0123456789',
        },
      ]);
      expect(response).toEqual({ PhysicalResourceId: 'who1HOOK', Data: { HookId: 'who1HOOK' } });
    });

    it('fails the deploy when Okta could not verify the hook, without echoing the secret', async () => {
      const { onEvent } = fakes({
        registerEventHook: async () => ({
          action: 'updated',
          hook: { id: 'who1HOOK', status: 'ACTIVE', verificationStatus: 'UNVERIFIED' },
          verified: false,
          active: true,
        }),
      });
      const failure = onEvent(event('Update', RESOURCE_TYPES.eventHook, HOOK_PROPS, 'who1HOOK'));
      await expect(failure).rejects.toThrow(/who1HOOK is ACTIVE\/UNVERIFIED, not ACTIVE\/VERIFIED/);
      await expect(failure).rejects.not.toThrow(/current-secret-value/);
    });

    it('subscribes the event types the resource carries, so a changed list updates the hook', async () => {
      const { onEvent, calls } = fakes();
      const eventTypes = ['group.user_membership.add', 'user.lifecycle.deactivate'];
      await onEvent(
        event('Update', RESOURCE_TYPES.eventHook, { ...HOOK_PROPS, EventTypes: eventTypes }, 'who1HOOK'),
      );
      expect(calls.register[0]?.eventTypes).toEqual(eventTypes);
    });

    it('leaves the hook active on Delete and does not even call Okta', async () => {
      const { onEvent, calls } = fakes({
        registerEventHook: async () => {
          throw new Error('must not register on Delete');
        },
      });
      const response = await onEvent(event('Delete', RESOURCE_TYPES.eventHook, HOOK_PROPS, 'who1HOOK'));
      expect(response).toEqual({ PhysicalResourceId: 'who1HOOK' });
      expect(calls.okta).toBe(0);
    });
  });

  it('rejects a resource type it does not know', async () => {
    const { onEvent } = fakes();
    await expect(onEvent(event('Create', 'Custom::Other', {}))).rejects.toThrow(
      'unknown resource type Custom::Other',
    );
  });
});
