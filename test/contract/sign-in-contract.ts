import { join } from 'node:path';
import {
  DEMO,
  SsoRefusedError,
  startOktaEmulator,
  type RunningEmulator,
  type SsoRefusalCode,
} from '../../emulator/okta';
import {
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
  type SsoFailureCode,
} from '../../emulator/frontline';
import { consoleValues } from '../../src/app-guard/setup';
import { run as checkCommand } from '../../src/cli/check';
import { run as repairCommand } from '../../src/cli/repair';
import type { CheckDocument, RepairDocument } from '../../src/cli/documents';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { captureOutput, clientFor, envFor, tempDir } from '../app-guard/helpers';
import { api } from '../emulator/sso-helpers';

/*
 * The sign-in contract's fixture: the demo org on the Okta emulator, Frontline's emulator with the console values
 * `setup` prints pasted in (step 7 of Twilio's Okta guide), the CLI commands an operator runs, and an agent's
 * IdP-initiated sign-in carried from one emulator to the other the way the browser carries it.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where the browser ends up when Okta's form posts somewhere other than Twilio's assertion consumer. */
export const POSTED_ELSEWHERE = 'posted-elsewhere';

export type RefusalCode = SsoRefusalCode | SsoFailureCode | typeof POSTED_ELSEWHERE;

export type SignInOutcome =
  | { ok: true; nameId: string; identity: string; created: boolean; relayState: string | null }
  | { ok: false; refusedBy: 'okta' | 'browser' | 'frontline'; code: RefusalCode; reason: string };

export interface SignInContract {
  okta: RunningEmulator;
  frontline: RunningFrontlineEmulator;
  /** This test's CLI environment: the demo org, with its own records (the confirmed certificate). */
  env: NodeJS.ProcessEnv;
}

/** The demo agent's Frontline identity: their app username, which is their email. */
export const AGENT_IDENTITY = 'alex.agent@example.com';

/** Another realm: its ACS URL and audience are Twilio's, but not this Frontline's. */
export const OTHER_REALM = 'JBffffffffffffffffffffffffffffffff';
export const OTHER_ACS_URL = `https://iam.twilio.com/v2/saml2/authenticate/${OTHER_REALM}`;
export const OTHER_AUDIENCE = `https://iam.twilio.com/v2/saml2/metadata/${OTHER_REALM}`;

const TWILIO_ACS = /^https:\/\/iam\.twilio\.com\/v2\/saml2\/authenticate\/([^/?#]+)$/;

/**
 * Both emulators for the suite; before each test both go back to their seed, the console values `setup` prints are
 * pasted into Frontline, and `check --confirm-certificate` records the certificate as pasted (and must pass: the
 * demo app starts valid). The returned object is filled in by the hooks.
 */
export function useSignInContract(): SignInContract {
  const c = {} as SignInContract;
  let tmp: ReturnType<typeof tempDir> | undefined;
  let n = 0;
  beforeAll(async () => {
    c.okta = await startOktaEmulator({ seed: 'demo', rateLimits: false });
    c.frontline = await startFrontlineEmulator();
    tmp = tempDir();
  });
  afterAll(async () => {
    await c.okta?.stop();
    await c.frontline?.stop();
    tmp?.cleanup();
  });
  beforeEach(async () => {
    await c.okta.control.reset('demo');
    c.frontline.control.reset();
    n += 1;
    c.env = envFor(c.okta, join(tmp!.dir, `contract-${n}.json`));
    await pasteConsoleValues(c);
    const start = await check(c, ['--confirm-certificate']);
    if (start.code !== 0) throw new Error(`the demo app should start valid; check found ${start.paths}`);
  });
  return c;
}

/** Step 7 of Twilio's Okta guide: the IdP issuer, SSO URL and certificate, as `setup` prints them. */
export async function pasteConsoleValues(c: SignInContract): Promise<void> {
  const values = await consoleValues(createGuardDirectory(clientFor(c.okta)), DEMO.appId, new Date());
  c.frontline.control.configureSso(DEMO.realmSid, {
    issuer: values.idpIssuer,
    ssoUrl: values.idpSsoUrl,
    certificate: values.certificatePem,
  });
}

/**
 * The user clicks the Frontline app in Okta: Okta issues the Response (or refuses), the browser posts it to the ACS
 * URL of Okta's form, and Frontline's assertion consumer for that realm answers. A form aimed anywhere but Twilio's
 * consumer never reaches Frontline.
 */
export async function signIn(c: SignInContract, userId: string = DEMO.users.agent): Promise<SignInOutcome> {
  let issued;
  try {
    issued = await c.okta.control.issueSamlResponse(DEMO.appId, userId);
  } catch (err) {
    if (!(err instanceof SsoRefusedError)) throw err;
    return { ok: false, refusedBy: 'okta', code: err.code, reason: err.reason };
  }
  const realm = TWILIO_ACS.exec(issued.acsUrl)?.[1];
  if (realm === undefined) {
    return {
      ok: false,
      refusedBy: 'browser',
      code: POSTED_ELSEWHERE,
      reason: `Okta's form posts to ${issued.acsUrl}, not to Twilio's assertion consumer`,
    };
  }
  const result = await c.frontline.control.consume(realm, issued.samlResponse, issued.relayState);
  if (!result.ok) return { ok: false, refusedBy: 'frontline', ...result.body };
  return {
    ok: true,
    nameId: issued.nameId,
    identity: result.body.user.identity,
    created: result.body.created,
    relayState: result.body.relayState,
  };
}

/** `check --json`: the exit code and the finding paths. */
export async function check(
  c: SignInContract,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ code: number; paths: string[] }> {
  const { code, stdout, stderr } = await captureOutput(() =>
    checkCommand(['--json', ...args], { ...c.env, ...env }),
  );
  const doc = JSON.parse(stdout) as Partial<CheckDocument>;
  if (!Array.isArray(doc.findings)) throw new Error(`check exited ${code}: ${stdout}${stderr}`);
  return { code, paths: doc.findings.map((f) => f.path) };
}

/** `repair --json`: the exit code and the document. */
export async function repair(
  c: SignInContract,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ code: number; doc: RepairDocument }> {
  const { code, stdout } = await captureOutput(() =>
    repairCommand(['--json', ...args], { ...c.env, ...env }),
  );
  return { code, doc: JSON.parse(stdout) as RepairDocument };
}

/** An admin's edit of the app in Okta: GET, change, PUT the whole app back (the Apps API has no PATCH). */
export async function editApp(c: SignInContract, mutate: (app: Json) => void): Promise<void> {
  const app = (await api(c.okta, 'GET', `/api/v1/apps/${DEMO.appId}`)).json;
  mutate(app);
  const put = await api(c.okta, 'PUT', `/api/v1/apps/${DEMO.appId}`, app);
  if (put.status !== 200) throw new Error(`PUT app: ${put.status} ${JSON.stringify(put.json)}`);
}

/** An admin's call to the Okta API that must succeed. */
export async function admin(c: SignInContract, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await api(c.okta, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

/** Okta's key rotation for the app: generate a new signing key, then make it the active one. */
export async function activateNewSigningKey(c: SignInContract): Promise<string> {
  const { kid } = await admin(
    c,
    'POST',
    `/api/v1/apps/${DEMO.appId}/credentials/keys/generate?validityYears=2`,
  );
  await editApp(c, (app) => (app.credentials.signing = { ...app.credentials.signing, kid }));
  return String(kid);
}

/**
 * The runbook's "When the Frontline app's certificate changes": `check` prints the new certificate, the operator
 * pastes it into Frontline's console (issuer and SSO URL stay), then `check --confirm-certificate` records it.
 */
export async function pasteCertificateCheckPrints(c: SignInContract): Promise<void> {
  const { stdout } = await captureOutput(() => checkCommand([], c.env));
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(stdout)?.[0];
  if (pem === undefined) throw new Error(`check printed no certificate:\n${stdout}`);
  const pasted = c.frontline.control.getSso(DEMO.realmSid);
  if (!pasted) throw new Error('nothing was pasted into the console yet');
  c.frontline.control.configureSso(DEMO.realmSid, {
    issuer: pasted.issuer,
    ssoUrl: pasted.ssoUrl,
    certificate: pem,
  });
  const confirmed = await check(c, ['--confirm-certificate']);
  if (confirmed.code !== 0) throw new Error(`check --confirm-certificate still finds ${confirmed.paths}`);
}
