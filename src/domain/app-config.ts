import { SAML_BASIC_NAMESPACE, statementFindings, type AttributeStatement } from './app-attributes';
import { get, type Finding, type Severity } from './app-json';
import { parseRealmSid } from './realm-sid';
import type { Policy } from './policy';

export {
  SAML_BASIC_NAMESPACE,
  STATEMENT_PATH,
  STATEMENTS_PATH,
  isAgentConstant,
  type AttributeStatement,
} from './app-attributes';
export { get, isObject, type Finding, type Json, type Severity } from './app-json';

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
 * | settings.signOn.…Override (ssoAcsUrl, recipient, destination, audience) | blank, or Frontline's own value | breaks-sso |
 * | settings.signOn.idpIssuer (an issuer on record)       | the recorded issuer (blank reads as the default) | breaks-sso |
 * | settings.signOn.idpIssuer (none on record)            | http://www.okta.com/${org.externalKey} (or blank) | risky, reported only |
 * | settings.signOn.attributeStatements[email]            | EXPRESSION, basic, ["user.email"]            | breaks-sso |
 * | settings.signOn.attributeStatements[roles]            | EXPRESSION, basic, ["user.userType"] or "agent" | breaks-sso |
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
 * ignores attributes it does not know, so an extra statement never breaks SSO. A `roles` statement may send the
 * constant "agent" (Twilio's Azure AD and Salesforce guides do): a working choice, never rewritten. A name the app's
 * federated claims supply needs no legacy statement; the claims' own rules are in ./federated-claims.ts.
 *
 * The CASB overrides (`SamlApplicationSettingsSignOn`: "override for CASB configuration"; help.okta.com "CASB
 * configuration guide") replace the ACS URL, Recipient, Destination and Audience Okta sends: set to anything but
 * Frontline's own value they send the assertion elsewhere. A repair clears them (null).
 *
 * The IdP issuer (`idpIssuer`, the "SAML Issuer ID": help.okta.com "Application Integration Wizard SAML field
 * reference") is the Issuer of every Response and the metadata's entityID; `setup` prints it for Frontline's console,
 * which refuses a Response from any other issuer. The issuer is recorded with the confirmed certificate (`setup`,
 * `check --confirm-certificate`, `cert rotate`): with one on record (`recordedIdpIssuer`) the console's value is
 * known, so any other is breaks-sso and a repair puts the recorded one back, never Okta's default unless that is
 * what was recorded. With none on record (a baseline from before issue 20) the pasted one is not known: anything but
 * Okta's default is reported (risky) and never rewritten, as a repair would break a console that holds the override.
 */

export const SUBJECT_NAME_ID_TEMPLATE = '${user.userName}';
/** Okta's default IdP issuer: `http://www.okta.com/` and the app's external key (what `setup` prints). */
export const DEFAULT_IDP_ISSUER = 'http://www.okta.com/${org.externalKey}';
export const DEFAULT_APP_LABEL = 'Twilio Frontline';
export const IDP_ISSUER_PATH = 'settings.signOn.idpIssuer';

/**
 * The app's IdP issuer as its raw setting holds it (a template such as Okta's default), blank or absent read as the
 * default: the value recorded with the confirmed certificate, as the console values `setup` prints render from it.
 */
export function idpIssuerOf(rawApp: unknown): string {
  const value = get(rawApp, IDP_ISSUER_PATH.split('.'));
  return blank(value) ? DEFAULT_IDP_ISSUER : String(value);
}

/** The rules with the IdP issuer on record (undefined: none, the rule stays report-only). */
export function withRecordedIdpIssuer(rules: AppConfigRules, recorded: string | undefined): AppConfigRules {
  return recorded === undefined ? rules : { ...rules, recordedIdpIssuer: recorded };
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
  /**
   * The IdP issuer recorded with the confirmed certificate: what Frontline's console holds. @default undefined: not
   * on record, so an issuer other than Okta's default is only reported
   */
  recordedIdpIssuer?: string | undefined;
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

const blank = (v: unknown): boolean => v === undefined || v === null || v === '';

interface ValueRule {
  path: string;
  expected: unknown;
  ok: (actual: unknown) => boolean;
  severity: Severity;
  message: string;
  /**
   * False where a write could break what works: the value may be right for a console this tool cannot read (the
   * IdP issuer pasted into Frontline). Reported; neither `repair` nor the scheduled repair rewrites it. @default true
   */
  repairable?: false;
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
    ...CASB_OVERRIDES.map(([field, what]) => {
      const own = field === 'audienceOverride' ? rules.audience : rules.acsUrl;
      return {
        path: `settings.signOn.${field}`,
        expected: null,
        ok: (v: unknown) => blank(v) || v === own,
        severity: 'breaks-sso' as const,
        message:
          `the CASB override ${field} replaces the ${what} Okta sends, so the assertion misses Frontline's realm ` +
          `${rules.realmSid}: it must be empty or Frontline's own ${what}`,
      };
    }),
    idpIssuerRule(rules.recordedIdpIssuer),
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

/**
 * With an issuer on record the console's value is known: any other breaks every sign-in, and the recorded one is put
 * back. Without, which one the console holds is not known, so only Okta's default passes and nothing is rewritten.
 */
function idpIssuerRule(recorded: string | undefined): ValueRule {
  if (recorded !== undefined) {
    return {
      path: IDP_ISSUER_PATH,
      expected: recorded,
      ok: (v: unknown) => (blank(v) ? DEFAULT_IDP_ISSUER : v) === recorded,
      severity: 'breaks-sso',
      message:
        `Frontline's console holds the IdP issuer ${recorded} (recorded with the confirmed certificate) and refuses ` +
        'a SAML response from any other issuer, so every sign-in fails: `repair` puts the recorded one back; if ' +
        "this one was pasted into Frontline's console instead, record it with `check --confirm-certificate`",
    };
  }
  return {
    path: IDP_ISSUER_PATH,
    expected: DEFAULT_IDP_ISSUER,
    ok: (v: unknown) => blank(v) || v === DEFAULT_IDP_ISSUER,
    severity: 'risky',
    message:
      'the IdP issuer (SAML Issuer ID) is the Issuer of every SAML response, and Frontline refuses a response from ' +
      'any issuer but the one in its console: unless this one was pasted there, every sign-in fails. Set it back ' +
      "to Okta's default in the app's Sign On settings, or paste it into Frontline's console (`setup` prints it) " +
      'and record it with `check --confirm-certificate`; not repaired automatically, as no issuer is on record',
    repairable: false,
  };
}

/** The four CASB overrides of `settings.signOn`, each with the address it replaces. */
export const CASB_OVERRIDES = [
  ['ssoAcsUrlOverride', 'ACS URL'],
  ['recipientOverride', 'Recipient'],
  ['destinationOverride', 'Destination'],
  ['audienceOverride', 'Audience'],
] as const;

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

/**
 * Compares an app's raw JSON (as Okta returns it) with the rules. An empty list means the app is valid. `claims` are
 * the app's federated claims, by name: a name they supply needs no legacy statement (./federated-claims.ts checks
 * the claims themselves).
 */
export function checkAppConfig(
  rawApp: unknown,
  rules: AppConfigRules,
  claims: readonly { name: string }[] = [],
): Finding[] {
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
        repairable: rule.repairable ?? true,
      });
    }
  }
  findings.push(...statementFindings(rawApp, rules.attributeStatements, claims));
  return findings;
}
