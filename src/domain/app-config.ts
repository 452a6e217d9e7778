import { parseRealmSid } from './realm-sid';
import type { Policy } from './policy';

/**
 * What a valid Frontline SAML app is, as data, and the lossless repair of an app's raw JSON. Pure: no I/O; the
 * clock is a parameter.
 *
 * Rules (from Twilio's Frontline SSO guide, see ../shared/okta-notes.md). `path` is the finding's path; a repair
 * writes `expected` there and touches nothing else:
 *
 * | path                                                  | expected                                     | severity   |
 * |-------------------------------------------------------|----------------------------------------------|------------|
 * | signOnMode                                            | SAML_2_0                                     | breaks-sso |
 * | status                                                | ACTIVE (repaired by the activate lifecycle)  | breaks-sso |
 * | settings.signOn.ssoAcsUrl / recipient / destination   | https://iam.twilio.com/v2/saml2/authenticate/<SID> | breaks-sso |
 * | settings.signOn.audience                              | https://iam.twilio.com/v2/saml2/metadata/<SID> | breaks-sso |
 * | settings.signOn.responseSigned / assertionSigned      | true                                         | breaks-sso |
 * | settings.signOn.assertionEncryption.enabled           | false (or absent)                            | breaks-sso |
 * | settings.signOn.attributeStatements[email]            | EXPRESSION, basic, ["user.email"]            | breaks-sso |
 * | settings.signOn.attributeStatements[roles]            | EXPRESSION, basic, ["user.userType"]         | breaks-sso |
 * | settings.signOn.defaultRelayState                     | blank (null, "" or absent)                   | risky      |
 * | settings.signOn.subjectNameIdTemplate                 | ${user.userName}                             | risky      |
 * | credentials.userNameTemplate.template (+ type)        | the pinned template, only when one is pinned | risky      |
 * | label                                                 | the configured label                         | cosmetic   |
 *
 * The app username is the admin's choice: the app's own template rules unless FRONTLINE_USERNAME_TEMPLATE pins one;
 * then a different one is a finding whose repair is explicit, as the NameID is the username (a new identity).
 *
 * Attribute statements are matched by `name`: the `email` and `roles` statements are replaced in place (or appended
 * when missing); statements with other names are an admin's additions and are kept, in order, untouched. Frontline
 * ignores attributes it does not know, so an extra statement never breaks SSO.
 */

export const SAML_BASIC_NAMESPACE = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';
export const SUBJECT_NAME_ID_TEMPLATE = '${user.userName}';
export const DEFAULT_APP_LABEL = 'Twilio Frontline';

export type Severity = 'breaks-sso' | 'risky' | 'cosmetic';

export interface Finding {
  /** Dotted path into the app JSON (attribute statements by name: `settings.signOn.attributeStatements[email]`). */
  path: string;
  expected: unknown;
  actual: unknown;
  severity: Severity;
  message: string;
  /** False for what a PUT cannot fix (the signing certificate: it must be re-pasted into Frontline's console). */
  repairable: boolean;
}

export interface AttributeStatement {
  type: 'EXPRESSION';
  name: string;
  namespace: string;
  values: string[];
}

export interface AppConfigOptions {
  /** @default 'Twilio Frontline' */
  label?: string;
  /** The pinned app username template. @default undefined: the app's own is kept; a new app gets email */
  userNameTemplate?: string | undefined;
}

export interface AppConfigRules {
  realmSid: string;
  label: string;
  acsUrl: string;
  audience: string;
  /** The pinned template; undefined when the app's own one is the source of truth. */
  userNameTemplate: string | undefined;
  subjectNameIdTemplate: string;
  attributeStatements: AttributeStatement[];
}

/**
 * The app rules under the policy: the username template is a rule only when the policy pins one; otherwise the
 * app's own template is the admin's choice. Every caller (check, the reconcile Lambda, serve) builds them here.
 */
export function appRulesFor(
  realmSid: string,
  policy: Pick<Policy, 'pinnedUserNameTemplate'>,
  label?: string,
): AppConfigRules {
  return desiredAppConfig(realmSid, {
    ...(label === undefined ? {} : { label }),
    userNameTemplate: policy.pinnedUserNameTemplate,
  });
}

export function desiredAppConfig(realmSid: string, options: AppConfigOptions = {}): AppConfigRules {
  const sid = parseRealmSid(realmSid);
  return {
    realmSid: sid,
    label: options.label ?? DEFAULT_APP_LABEL,
    acsUrl: `https://iam.twilio.com/v2/saml2/authenticate/${sid}`,
    audience: `https://iam.twilio.com/v2/saml2/metadata/${sid}`,
    userNameTemplate: options.userNameTemplate,
    subjectNameIdTemplate: SUBJECT_NAME_ID_TEMPLATE,
    attributeStatements: [
      { type: 'EXPRESSION', name: 'email', namespace: SAML_BASIC_NAMESPACE, values: ['user.email'] },
      { type: 'EXPRESSION', name: 'roles', namespace: SAML_BASIC_NAMESPACE, values: ['user.userType'] },
    ],
  };
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function get(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

export const STATEMENTS_PATH = ['settings', 'signOn', 'attributeStatements'];
export const STATEMENT_PATH = /^settings\.signOn\.attributeStatements\[(.+)\]$/;

function statementMatches(actual: unknown, wanted: AttributeStatement): boolean {
  if (!isObject(actual)) return false;
  const values = actual.values;
  return (
    actual.type === wanted.type &&
    actual.namespace === wanted.namespace &&
    Array.isArray(values) &&
    values.length === wanted.values.length &&
    values.every((v, i) => v === wanted.values[i])
  );
}

const blank = (v: unknown): boolean => v === undefined || v === null || v === '';

interface ValueRule {
  path: string;
  expected: unknown;
  ok: (actual: unknown) => boolean;
  severity: Severity;
  message: string;
}

function valueRules(rules: AppConfigRules): ValueRule[] {
  const eq = (expected: unknown) => (actual: unknown) => actual === expected;
  const url = (what: string) =>
    `${what} must be Frontline's ACS URL for Realm ${rules.realmSid}, or Twilio rejects the SAML response`;
  return [
    {
      path: 'signOnMode',
      expected: 'SAML_2_0',
      ok: eq('SAML_2_0'),
      severity: 'breaks-sso',
      message: 'the app must be a SAML 2.0 app',
    },
    {
      path: 'status',
      expected: 'ACTIVE',
      ok: eq('ACTIVE'),
      severity: 'breaks-sso',
      message: 'an inactive app cannot sign anyone in',
    },
    {
      path: 'settings.signOn.ssoAcsUrl',
      expected: rules.acsUrl,
      ok: eq(rules.acsUrl),
      severity: 'breaks-sso',
      message: url('the Single sign-on URL'),
    },
    {
      path: 'settings.signOn.recipient',
      expected: rules.acsUrl,
      ok: eq(rules.acsUrl),
      severity: 'breaks-sso',
      message: url('the Recipient URL'),
    },
    {
      path: 'settings.signOn.destination',
      expected: rules.acsUrl,
      ok: eq(rules.acsUrl),
      severity: 'breaks-sso',
      message: url('the Destination URL'),
    },
    {
      path: 'settings.signOn.audience',
      expected: rules.audience,
      ok: eq(rules.audience),
      severity: 'breaks-sso',
      message: `the Audience URI (SP Entity ID) must be Frontline's metadata URL for Realm ${rules.realmSid}`,
    },
    {
      path: 'settings.signOn.responseSigned',
      expected: true,
      ok: eq(true),
      severity: 'breaks-sso',
      message: 'Frontline requires a signed SAML response',
    },
    {
      path: 'settings.signOn.assertionSigned',
      expected: true,
      ok: eq(true),
      severity: 'breaks-sso',
      message: 'Frontline requires a signed assertion',
    },
    {
      path: 'settings.signOn.assertionEncryption.enabled',
      expected: false,
      ok: (v) => v === undefined || v === null || v === false,
      severity: 'breaks-sso',
      message: 'Frontline cannot decrypt encrypted assertions: encryption must be off',
    },
    {
      path: 'settings.signOn.defaultRelayState',
      expected: '',
      ok: blank,
      severity: 'risky',
      message: 'Frontline expects a blank Default RelayState; a value can send users to the wrong place',
    },
    {
      path: 'settings.signOn.subjectNameIdTemplate',
      expected: rules.subjectNameIdTemplate,
      ok: eq(rules.subjectNameIdTemplate),
      severity: 'risky',
      message: 'the Name ID must be the app username so Frontline sees the same identity as the assignment',
    },
    ...(rules.userNameTemplate === undefined ? [] : [userNameRule(rules.userNameTemplate)]),
    {
      path: 'label',
      expected: rules.label,
      ok: eq(rules.label),
      severity: 'cosmetic',
      message: 'the app label differs from the configured one',
    },
  ];
}

export const USERNAME_TEMPLATE_PATH = 'credentials.userNameTemplate.template';

function userNameRule(pinned: string): ValueRule {
  return {
    path: USERNAME_TEMPLATE_PATH,
    expected: pinned,
    ok: (actual) => actual === pinned,
    severity: 'risky',
    message:
      'the app username template differs from FRONTLINE_USERNAME_TEMPLATE; the username is each agent’s identity ' +
      'in Frontline, so `repair --username-template` changes it only when asked (agents then get new identities)',
  };
}

/** Compares an app's raw JSON (as Okta returns it) with the rules. An empty list means the app is valid. */
export function checkAppConfig(rawApp: unknown, rules: AppConfigRules): Finding[] {
  const findings: Finding[] = [];
  for (const rule of valueRules(rules)) {
    const actual = get(rawApp, rule.path.split('.'));
    if (!rule.ok(actual)) {
      findings.push({
        path: rule.path,
        expected: rule.expected,
        actual: actual ?? null,
        severity: rule.severity,
        message: rule.message,
        repairable: true,
      });
    }
  }
  const statements = get(rawApp, STATEMENTS_PATH);
  const list = Array.isArray(statements) ? statements : [];
  for (const wanted of rules.attributeStatements) {
    const same = list.filter((s) => isObject(s) && s.name === wanted.name);
    if (same.length === 1 && statementMatches(same[0], wanted)) continue;
    findings.push({
      path: `settings.signOn.attributeStatements[${wanted.name}]`,
      expected: wanted,
      actual: same.length === 0 ? null : same.length === 1 ? same[0] : same,
      severity: 'breaks-sso',
      message:
        same.length > 1
          ? `the "${wanted.name}" attribute statement appears ${same.length} times; Frontline needs exactly one`
          : `Frontline needs the "${wanted.name}" attribute = ${wanted.values.join(', ')} (EXPRESSION, basic format)`,
      repairable: true,
    });
  }
  return findings;
}
