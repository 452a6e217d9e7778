import type { EmulatorContext } from '../context';
import type { AppRecord } from '../org/records';
import { activeKid } from '../views';
import { buildAttributes, type SamlAttribute } from './attributes';
import { claimAttributes } from './claims';
import { assertionEncryption, encryptAssertion } from './encrypt';
import { SsoRefusedError } from './errors';
import { BASE_PROFILE_ATTRIBUTES } from './expression';
import { idpIssuerOf } from './idp-issuer';
import { signRoot, signatureAlgorithms } from './sign';
import { assertionXml, responseXml, samlId } from './xml';

/** What Okta posts to the app for one sign-in, and what it was made of. */
export interface IssuedSamlResponse {
  /** Where the browser form posts: `ssoAcsUrlOverride`, else `ssoAcsUrl`. */
  acsUrl: string;
  /** The Response, base64 (the `SAMLResponse` form field). */
  samlResponse: string;
  /** `defaultRelayState`, null when blank. */
  relayState: string | null;
  /** The Response as XML. */
  xml: string;
  nameId: string;
  attributes: SamlAttribute[];
}

/**
 * Okta's assertions are valid from 5 minutes before to 5 minutes after they are issued (`Conditions` and
 * `SubjectConfirmationData` of the Okta Response captured in russellhaering/goxmldsig `validate_test.go`).
 */
const VALIDITY_MS = 5 * 60_000;
const UNSPECIFIED_NAME_ID = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const PASSWORD_PROTECTED = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';

/** A setting, with its CASB override when one is set (`…Override`: "override for CASB configuration"). */
const setting = (signOn: Record<string, unknown>, ...names: string[]): string => {
  for (const n of names) if (typeof signOn[n] === 'string' && signOn[n] !== '') return signOn[n] as string;
  return '';
};

/**
 * The SAML Response Okta would post for `appId` and the user, an IdP-initiated sign-in (no `InResponseTo`), built
 * only from the app's stored configuration and the user's profile; or an `SsoRefusedError` where Okta signs nobody
 * in: an inactive app (help.okta.com "Deactivate app integrations": users "receive an error message"), a user who
 * isn't ACTIVE (suspended and deactivated users can't sign in: Users API `suspendUser`/`deactivateUser`; the other
 * statuses have no session to sign in with), a user not assigned (support.okta.com "App Sign-on Error 403: User
 * attempted unauthorized access to app").
 */
export async function issueSamlResponse(
  ctx: EmulatorContext,
  appId: string,
  userIdOrLogin: string,
  now: Date = new Date(),
): Promise<IssuedSamlResponse> {
  const { state } = ctx;
  const app = state.apps.get(appId);
  if (!app) throw new SsoRefusedError('unknown-app', `no app ${appId} in this org`);
  const label = String(app.json.label);
  if (app.json.signOnMode !== 'SAML_2_0')
    throw new SsoRefusedError(
      'not-saml',
      `${label} signs in with ${String(app.json.signOnMode)}, not SAML 2.0`,
    );
  if (app.json.status !== 'ACTIVE')
    throw new SsoRefusedError(
      'app-inactive',
      `${label} is ${String(app.json.status)}: Okta signs no one in to it`,
    );
  const user = state.findUser(userIdOrLogin);
  if (!user) throw new SsoRefusedError('unknown-user', `no user ${userIdOrLogin} in this org`);
  const who = String(user.profile.login);
  if (user.status !== 'ACTIVE')
    throw new SsoRefusedError('user-not-active', `${who} is ${user.status}: only ACTIVE users can sign in`);
  const appUser = state.appUsers.get(appId)?.get(user.id);
  if (!appUser)
    throw new SsoRefusedError(
      'not-assigned',
      `403 App Not Assigned: ${who} can't access ${label} because they are not assigned this app in Okta`,
    );

  const signOn = ((app.json.settings as { signOn?: unknown } | undefined)?.signOn ?? {}) as Record<
    string,
    unknown
  >;
  // "Either (or both) responseSigned or assertionSigned must be TRUE" (`SamlApplicationSettingsSignOn`).
  const responseSigned = signOn.responseSigned === true;
  const assertionSigned = signOn.assertionSigned === true;
  if (!responseSigned && !assertionSigned)
    throw new SsoRefusedError(
      'unsigned',
      'responseSigned and assertionSigned are both false: Okta requires one',
    );
  const algorithms = signatureAlgorithms(signOn);
  const kid = activeKid(app);
  const key = kid === undefined ? undefined : ctx.keys.get(kid);
  if (!key)
    throw new SsoRefusedError('signing-key', `${label} has no active signing key (credentials.signing.kid)`);
  const encryption = assertionEncryption(signOn);

  const scope = {
    user: user.profile,
    userAttributes: profileSchema(ctx),
    appUser: { userName: appUser.userName },
  };
  const attributes = [
    ...buildAttributes(
      signOn.attributeStatements,
      scope,
      state.listUserGroups(user.id).map((g) => g.profile.name),
    ),
    // The federated claims, beside the legacy statements (./claims.ts).
    ...claimAttributes(app.federatedClaims, {
      ...scope,
      dialect: 'identity-engine',
      userProperties: { ...user },
    }),
  ];
  const issuer = idpIssuerOf(app);
  const at = (offset: number) => new Date(now.getTime() + offset).toISOString();
  const assertionId = samlId();
  let assertion = assertionXml({
    id: assertionId,
    issueInstant: at(0),
    issuer,
    // The Subject is the app username (Application Users API `credentials.userName`; `${user.userName}`).
    // `subjectNameIdTemplate` is documented only as the "Template for app user's username when a user is assigned
    // to the app" (Apps API, SamlApplicationSettingsSignOn), which `credentials.userNameTemplate` also is; Okta
    // documents neither that it renders the NameID nor which of the two wins, so another value changes nothing here.
    nameId: appUser.userName,
    nameIdFormat: setting(signOn, 'subjectNameIdFormat') || UNSPECIFIED_NAME_ID,
    recipient: setting(signOn, 'recipientOverride', 'recipient', 'ssoAcsUrl'),
    notBefore: at(-VALIDITY_MS),
    notOnOrAfter: at(VALIDITY_MS),
    audience: setting(signOn, 'audienceOverride', 'audience'),
    sessionIndex: assertionId,
    authnContextClassRef: setting(signOn, 'authnContextClassRef') || PASSWORD_PROTECTED,
    attributes,
  });
  if (assertionSigned) assertion = signRoot(assertion, 'Assertion', key, algorithms);
  if (encryption) assertion = await encryptAssertion(assertion, encryption);
  let xml = responseXml(
    {
      id: samlId(),
      issueInstant: at(0),
      destination: setting(signOn, 'destinationOverride', 'destination', 'ssoAcsUrl'),
      issuer,
    },
    assertion,
  );
  if (responseSigned) xml = signRoot(xml, 'Response', key, algorithms);
  xml = `<?xml version="1.0" encoding="UTF-8"?>${xml}`;
  return {
    acsUrl: setting(signOn, 'ssoAcsUrlOverride', 'ssoAcsUrl'),
    samlResponse: Buffer.from(xml, 'utf8').toString('base64'),
    relayState: setting(signOn, 'defaultRelayState') || null,
    xml,
    nameId: appUser.userName,
    attributes,
  };
}

/** The profile attributes the org defines: Okta's base profile plus any custom one some user holds. */
function profileSchema(ctx: EmulatorContext): Set<string> {
  const names = new Set(BASE_PROFILE_ATTRIBUTES);
  for (const u of ctx.state.users.values()) for (const k of Object.keys(u.profile)) names.add(k);
  return names;
}

/** The app whose IdP-initiated URL is `/app/<name>/<entity key>/sso/saml`. */
export function appForSsoUrl(
  ctx: EmulatorContext,
  appName: string,
  entityKey: string,
): AppRecord | undefined {
  for (const app of ctx.state.apps.values())
    if (app.issuerId === entityKey && String(app.json.name) === appName) return app;
  return undefined;
}
