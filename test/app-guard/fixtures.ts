import { newAppJson } from '../../src/domain/new-app';

export const SID = 'JB0123456789abcdef0123456789abcdef';

/** A valid Frontline app as Okta returns it: the creation body plus what Okta adds, and an admin's extras. */
export function validRawApp(): Record<string, unknown> {
  const body = newAppJson(SID) as {
    settings: { signOn: Record<string, unknown> } & Record<string, unknown>;
  } & Record<string, unknown>;
  return {
    id: '0oa1frontline',
    name: 'twiliofrontline_1',
    status: 'ACTIVE',
    created: '2026-01-01T00:00:00.000Z',
    lastUpdated: '2026-01-01T00:00:00.000Z',
    ...body,
    accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null },
    credentials: {
      ...(body.credentials as Record<string, unknown>),
      signing: { kid: 'kid-1' },
    },
    settings: {
      app: {},
      notifications: { vpn: { network: { connection: 'DISABLED' } } },
      manualProvisioning: false,
      implicitAssignment: false,
      signOn: {
        ...body.settings.signOn,
        defaultRelayState: null,
        samlSignedRequestEnabled: false,
        slo: { enabled: false },
        attributeStatements: [
          ...(body.settings.signOn.attributeStatements as unknown[]),
          {
            type: 'EXPRESSION',
            name: 'department',
            namespace: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
            values: ['user.department'],
          },
        ],
      },
    },
    _links: { self: { href: 'https://example.okta.com/api/v1/apps/0oa1frontline' } },
  };
}
