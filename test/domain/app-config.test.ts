import fc from 'fast-check';
import { checkAppConfig, desiredAppConfig, type Finding } from '../../src/domain/app-config';
import { planRepair, RULE_PATHS, withProductMark } from '../../src/domain/app-repair';
import { PRODUCT_MARK } from '../../src/domain/app-target';
import { certificateFindings } from '../../src/domain/signing-certificate';
import { CERT_DER_BASE64 } from '../app-guard/cert-fixture';
import { SID, validRawApp } from '../app-guard/fixtures';

const rules = desiredAppConfig(SID);
const ACS = `https://iam.twilio.com/v2/saml2/authenticate/${SID}`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function drifted(mutate: (app: Json) => void): Json {
  const app = validRawApp() as Json;
  mutate(app);
  return app;
}

describe('Function: checkAppConfig', () => {
  it('finds nothing wrong with a valid app that carries an admin’s extra attribute statement', () => {
    expect(checkAppConfig(validRawApp(), rules)).toEqual([]);
  });

  it('accepts null, empty and absent default RelayState as blank', () => {
    for (const value of [null, '', undefined]) {
      const app = drifted((a) => {
        a.settings.signOn.defaultRelayState = value;
      });
      expect(checkAppConfig(app, rules)).toEqual([]);
    }
  });

  it('accepts an absent assertionEncryption block as encryption off', () => {
    const app = drifted((a) => {
      delete a.settings.signOn.assertionEncryption;
    });
    expect(checkAppConfig(app, rules)).toEqual([]);
  });

  const drifts: [string, (a: Json) => void, Partial<Finding>][] = [
    [
      'a wrong ACS URL',
      (a) => (a.settings.signOn.ssoAcsUrl = 'https://evil.example/acs'),
      {
        path: 'settings.signOn.ssoAcsUrl',
        expected: ACS,
        actual: 'https://evil.example/acs',
        severity: 'breaks-sso',
      },
    ],
    [
      'a wrong recipient',
      (a) => (a.settings.signOn.recipient = 'x'),
      { path: 'settings.signOn.recipient', expected: ACS, severity: 'breaks-sso' },
    ],
    [
      'a missing destination',
      (a) => delete a.settings.signOn.destination,
      { path: 'settings.signOn.destination', actual: null, severity: 'breaks-sso' },
    ],
    [
      'a wrong audience',
      (a) => (a.settings.signOn.audience = 'urn:other'),
      {
        path: 'settings.signOn.audience',
        expected: `https://iam.twilio.com/v2/saml2/metadata/${SID}`,
        severity: 'breaks-sso',
      },
    ],
    [
      'an unsigned response',
      (a) => (a.settings.signOn.responseSigned = false),
      { path: 'settings.signOn.responseSigned', expected: true, actual: false, severity: 'breaks-sso' },
    ],
    [
      'an unsigned assertion',
      (a) => (a.settings.signOn.assertionSigned = false),
      { path: 'settings.signOn.assertionSigned', expected: true, severity: 'breaks-sso' },
    ],
    [
      'assertion encryption on',
      (a) => (a.settings.signOn.assertionEncryption = { enabled: true, encryptionAlgorithm: 'AES256_CBC' }),
      {
        path: 'settings.signOn.assertionEncryption.enabled',
        expected: false,
        actual: true,
        severity: 'breaks-sso',
      },
    ],
    [
      'a default RelayState',
      (a) => (a.settings.signOn.defaultRelayState = 'https://x'),
      { path: 'settings.signOn.defaultRelayState', actual: 'https://x', severity: 'risky' },
    ],
    [
      'a missing email statement',
      (a) =>
        (a.settings.signOn.attributeStatements = a.settings.signOn.attributeStatements.filter(
          (s: Json) => s.name !== 'email',
        )),
      { path: 'settings.signOn.attributeStatements[email]', actual: null, severity: 'breaks-sso' },
    ],
    [
      'a roles statement with the wrong value',
      (a) => (a.settings.signOn.attributeStatements[1].values = ['user.title']),
      { path: 'settings.signOn.attributeStatements[roles]', severity: 'breaks-sso' },
    ],
    [
      'a roles statement in the URI namespace',
      (a) =>
        (a.settings.signOn.attributeStatements[1].namespace =
          'urn:oasis:names:tc:SAML:2.0:attrname-format:uri'),
      { path: 'settings.signOn.attributeStatements[roles]' },
    ],
    [
      'an email statement of type GROUP',
      (a) => (a.settings.signOn.attributeStatements[0].type = 'GROUP'),
      { path: 'settings.signOn.attributeStatements[email]' },
    ],
    [
      'a duplicated email statement',
      (a) => a.settings.signOn.attributeStatements.push({ ...a.settings.signOn.attributeStatements[0] }),
      { path: 'settings.signOn.attributeStatements[email]' },
    ],
    [
      'a SAML 1.1 app',
      (a) => (a.signOnMode = 'SAML_1_1'),
      { path: 'signOnMode', expected: 'SAML_2_0', severity: 'breaks-sso' },
    ],
    [
      'an inactive app',
      (a) => (a.status = 'INACTIVE'),
      { path: 'status', expected: 'ACTIVE', actual: 'INACTIVE', severity: 'breaks-sso' },
    ],
    [
      'another Name ID template',
      (a) => (a.settings.signOn.subjectNameIdTemplate = '${user.email}'),
      { path: 'settings.signOn.subjectNameIdTemplate', expected: '${user.userName}', severity: 'risky' },
    ],
    [
      'another label',
      (a) => (a.label = 'Frontline (old)'),
      { path: 'label', expected: 'Twilio Frontline', severity: 'cosmetic' },
    ],
    ...(['ssoAcsUrlOverride', 'recipientOverride', 'destinationOverride', 'audienceOverride'] as const).map(
      (field): [string, (a: Json) => void, Partial<Finding>] => [
        `a CASB ${field} to a proxy`,
        (a) => (a.settings.signOn[field] = 'https://casb.example.net/saml'),
        {
          path: `settings.signOn.${field}`,
          expected: null,
          actual: 'https://casb.example.net/saml',
          severity: 'breaks-sso',
        },
      ],
    ),
  ];

  it.each(drifts)('reports %s as exactly one finding', (_name, mutate, expected) => {
    const findings = checkAppConfig(drifted(mutate), rules);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ...expected, repairable: true });
    expect(findings[0]?.message).toEqual(expect.any(String));
  });

  it('reports every rule for an empty object without throwing', () => {
    const findings = checkAppConfig({}, rules);
    expect(findings.map((f) => f.path)).toContain('settings.signOn.ssoAcsUrl');
    expect(findings.map((f) => f.path)).toContain('settings.signOn.attributeStatements[roles]');
    expect(checkAppConfig(null, rules).length).toBe(findings.length);
  });

  it('follows the pinned username template and the configured label', () => {
    const custom = desiredAppConfig(SID, { label: 'Frontline', userNameTemplate: '${source.login}' });
    const paths = checkAppConfig(validRawApp(), custom).map((f) => f.path);
    expect(paths).toEqual(['credentials.userNameTemplate.template', 'label']);
  });

  it('keeps the app’s own username template when none is pinned (the admin’s choice)', () => {
    const app = drifted(
      (a) => (a.credentials.userNameTemplate = { template: '${source.login}', type: 'BUILT_IN' }),
    );
    expect(checkAppConfig(app, rules)).toEqual([]);
  });

  it('reports a template other than the pinned one as risky', () => {
    const pinned = desiredAppConfig(SID, { userNameTemplate: '${source.email}' });
    const app = drifted(
      (a) => (a.credentials.userNameTemplate = { template: '${source.login}', type: 'BUILT_IN' }),
    );
    expect(checkAppConfig(app, pinned)).toEqual([
      expect.objectContaining({
        path: 'credentials.userNameTemplate.template',
        expected: '${source.email}',
        actual: '${source.login}',
        severity: 'risky',
      }),
    ]);
  });

  it('rewrites a pinned username template only when asked', () => {
    const pinned = desiredAppConfig(SID, { userNameTemplate: '${source.email}' });
    const app = drifted(
      (a) => (a.credentials.userNameTemplate = { template: '${source.login}', type: 'BUILT_IN' }),
    );
    const findings = checkAppConfig(app, pinned);
    expect((planRepair(app, findings) as Json).credentials.userNameTemplate.template).toBe('${source.login}');
    expect(
      (planRepair(app, findings, { userNameTemplate: true }) as Json).credentials.userNameTemplate.template,
    ).toBe('${source.email}');
  });

  describe('with drift repaired by planRepair', () => {
    it.each(drifts)('fixes %s and nothing else', (_name, mutate) => {
      const app = drifted(mutate);
      const before = structuredClone(app);
      const repaired = planRepair(app, checkAppConfig(app, rules));
      expect(checkAppConfig(repaired, rules)).toEqual([]);
      expect(app).toEqual(before); // the input is not modified
      expect(stripRulePaths(repaired)).toEqual(stripRulePaths(before));
    });
  });
});

describe('Function: planRepair', () => {
  it('keeps settings.app, manualProvisioning, samlSignedRequestEnabled and _links while fixing the ACS URL', () => {
    const app = drifted((a) => {
      a.settings.app = { customField: 'kept' };
      a.settings.signOn.ssoAcsUrl = 'https://wrong';
    });
    const repaired = planRepair(app, checkAppConfig(app, rules)) as Json;
    expect(repaired.settings.signOn.ssoAcsUrl).toBe(ACS);
    expect(repaired.settings.app).toEqual({ customField: 'kept' });
    expect(repaired.settings.manualProvisioning).toBe(false);
    expect(repaired.settings.signOn.samlSignedRequestEnabled).toBe(false);
    expect(repaired._links).toEqual(app._links);
  });

  it('replaces a wrong roles statement in place and keeps the admin’s department statement after it', () => {
    const app = drifted((a) => {
      a.settings.signOn.attributeStatements[1].values = ['user.title'];
    });
    const repaired = planRepair(app, checkAppConfig(app, rules)) as Json;
    expect(repaired.settings.signOn.attributeStatements.map((s: Json) => s.name)).toEqual([
      'email',
      'roles',
      'department',
    ]);
    expect(repaired.settings.signOn.attributeStatements[1].values).toEqual(['user.userType']);
  });

  it('drops duplicate email statements, keeping the first position', () => {
    const app = drifted((a) => {
      a.settings.signOn.attributeStatements.push({
        ...a.settings.signOn.attributeStatements[0],
        values: ['user.login'],
      });
    });
    const repaired = planRepair(app, checkAppConfig(app, rules)) as Json;
    expect(repaired.settings.signOn.attributeStatements.map((s: Json) => s.name)).toEqual([
      'email',
      'roles',
      'department',
    ]);
  });

  it('turns encryption off but keeps the rest of the encryption block', () => {
    const app = drifted((a) => {
      a.settings.signOn.assertionEncryption = { enabled: true, encryptionAlgorithm: 'AES256_CBC' };
    });
    const repaired = planRepair(app, checkAppConfig(app, rules)) as Json;
    expect(repaired.settings.signOn.assertionEncryption).toEqual({
      enabled: false,
      encryptionAlgorithm: 'AES256_CBC',
    });
  });

  it('sets the username template type to CUSTOM for an expression that is not built in', () => {
    const custom = desiredAppConfig(SID, { userNameTemplate: '${source.employeeNumber}' });
    const app = validRawApp();
    const repaired = planRepair(app, checkAppConfig(app, custom), { userNameTemplate: true }) as Json;
    expect(repaired.credentials.userNameTemplate).toEqual({
      template: '${source.employeeNumber}',
      type: 'CUSTOM',
    });
    expect(repaired.credentials.signing).toEqual({ kid: 'kid-1' });
  });

  it('ignores certificate findings, which a PUT cannot fix', () => {
    const app = validRawApp();
    const cert = certificateFindings(
      { kid: 'k', x5c: [CERT_DER_BASE64], expiresAt: '2026-01-02T00:00:00Z' },
      'AA',
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(planRepair(app, cert.findings)).toEqual(app);
  });
});

// --- property: a repair converges and leaves what the rules don't own alone --------------------------------------

function stripRulePaths(app: unknown): unknown {
  const copy = structuredClone(app) as Json;
  for (const path of RULE_PATHS) {
    const keys = path.split('.');
    let node: Json | undefined = copy;
    for (const key of keys.slice(0, -1)) node = node && typeof node[key] === 'object' ? node[key] : undefined;
    if (node) delete node[keys[keys.length - 1] as string];
  }
  // Statements the rules don't own must survive in order.
  const statements = (app as Json)?.settings?.signOn?.attributeStatements;
  if (Array.isArray(statements)) {
    const others = statements.filter((s: Json) => !['email', 'roles'].includes(s?.name));
    if (others.length > 0) copy.__otherStatements = others;
  }
  return pruneEmptyObjects(copy);
}

/** A repair may create the containers of a rule path (`settings.signOn`); empty objects are dropped on both sides. */
function pruneEmptyObjects(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const pruned = pruneEmptyObjects(v);
    const empty =
      typeof pruned === 'object' &&
      pruned !== null &&
      !Array.isArray(pruned) &&
      Object.keys(pruned).length === 0;
    if (!empty) out[k] = pruned;
  }
  return out;
}

const anyValue = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.integer());
const statementArb = fc.record({
  type: fc.constantFrom('EXPRESSION', 'GROUP'),
  name: fc.constantFrom('email', 'roles', 'department', 'title', 'x'),
  namespace: fc.constantFrom(
    'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
    'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
  ),
  values: fc.array(fc.constantFrom('user.email', 'user.userType', 'user.login', 'user.department'), {
    maxLength: 2,
  }),
});
const appArb = fc.record(
  {
    id: fc.string(),
    label: fc.oneof(fc.constant('Twilio Frontline'), fc.string()),
    status: fc.constantFrom('ACTIVE', 'INACTIVE'),
    signOnMode: fc.constantFrom('SAML_2_0', 'SAML_1_1', 'BOOKMARK'),
    visibility: fc.dictionary(fc.string(), anyValue),
    credentials: fc.record(
      {
        userNameTemplate: fc.record({
          template: fc.constantFrom('${source.email}', '${source.login}', 'x'),
          type: fc.constantFrom('BUILT_IN', 'CUSTOM'),
        }),
        signing: fc.record({ kid: fc.string() }),
      },
      { requiredKeys: [] },
    ),
    settings: fc.record(
      {
        app: fc.dictionary(fc.string(), anyValue),
        manualProvisioning: fc.boolean(),
        signOn: fc.record(
          {
            ssoAcsUrl: fc.oneof(fc.constant(ACS), fc.webUrl()),
            recipient: fc.oneof(fc.constant(ACS), fc.webUrl()),
            destination: fc.oneof(fc.constant(ACS), fc.webUrl()),
            audience: fc.oneof(fc.constant(rules.audience), fc.string()),
            ssoAcsUrlOverride: fc.oneof(fc.constant(null), fc.constant(''), fc.constant(ACS), fc.webUrl()),
            recipientOverride: fc.oneof(fc.constant(null), fc.constant(ACS), fc.webUrl()),
            destinationOverride: fc.oneof(fc.constant(null), fc.constant(ACS), fc.webUrl()),
            audienceOverride: fc.oneof(fc.constant(null), fc.constant(rules.audience), fc.string()),
            responseSigned: fc.boolean(),
            assertionSigned: fc.boolean(),
            samlSignedRequestEnabled: fc.boolean(),
            honorForceAuthn: fc.boolean(),
            assertionEncryption: fc.record(
              { enabled: fc.boolean(), encryptionAlgorithm: fc.constant('AES256_CBC') },
              { requiredKeys: [] },
            ),
            defaultRelayState: fc.oneof(fc.constant(null), fc.constant(''), fc.string()),
            subjectNameIdTemplate: fc.constantFrom('${user.userName}', '${user.email}'),
            attributeStatements: fc.array(statementArb, { maxLength: 5 }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['id'] },
);

describe('Property: planRepair', () => {
  it('leaves no findings and changes nothing the rules do not own', () => {
    fc.assert(
      fc.property(appArb, (app) => {
        const repaired = planRepair(app, checkAppConfig(app, rules));
        expect(checkAppConfig(repaired, rules)).toEqual([]);
        expect(stripRulePaths(repaired)).toEqual(stripRulePaths(app));
      }),
      { numRuns: 300 },
    );
  });

  it('is a no-op on an app with no findings', () => {
    fc.assert(
      fc.property(appArb, (app) => {
        const once = planRepair(app, checkAppConfig(app, rules));
        expect(planRepair(once, checkAppConfig(once, rules))).toEqual(once);
      }),
      { numRuns: 100 },
    );
  });
});

describe('Function: withProductMark', () => {
  it('adds the mark to an adopted app’s admin notes, keeping what the admin wrote and leaving the input untouched', () => {
    const app = { label: 'Salesforce', settings: { notes: { admin: 'owned by IT', enduser: null } } };
    const marked = withProductMark(app) as { settings: { notes: { admin: string; enduser: null } } };
    expect(marked.settings.notes).toEqual({ admin: `owned by IT\n${PRODUCT_MARK}`, enduser: null });
    expect(app.settings.notes.admin).toBe('owned by IT');
  });

  it('creates the notes of an app that had none', () => {
    expect(withProductMark({ label: 'x' })).toEqual({
      label: 'x',
      settings: { notes: { admin: PRODUCT_MARK } },
    });
  });
});
