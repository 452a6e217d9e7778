import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO } from '../../emulator/okta';
import { consoleValues } from '../../src/app-guard/setup';
import { run as checkCommand } from '../../src/cli/check';
import type { CheckDocument } from '../../src/cli/documents';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { captureOutput, clientFor, tempDir } from '../app-guard/helpers';
import {
  AGENT_IDENTITY,
  check,
  editApp,
  pasteConsoleValues,
  repair,
  signIn,
  useSignInContract,
  type SignInContract,
} from './sign-in-contract';

/*
 * The contract for the two `settings.signOn` fields that shape who the assertion comes from and whom it names
 * (issue 20). `idpIssuer` is the Issuer of every Response and the metadata's entityID (emulator/okta/sso/idp-issuer.ts),
 * and Frontline refuses a Response from any issuer but the one in its console. The issuer is recorded with the
 * confirmed certificate (the fixture's `check --confirm-certificate` records the demo app's default), so the tool
 * knows what the console holds: an issuer changed afterwards is breaks-sso and `repair` puts the recorded one back;
 * an override pasted and confirmed is no finding. With nothing on record (a baseline from before issue 20) the
 * console's issuer is not known: anything but the default is risky and never rewritten.
 * `subjectNameIdTemplate` is documented only as the "Template for app user's username when a user is assigned to the
 * app": Okta does not document that it renders the NameID, so the emulator keeps the app username there and a
 * changed template fails no sign-in; `check` still reports it (risky), the false alarm sign-in.contract.test.ts
 * records for `${user.email}`, kept because the rule does not bend to an undocumented emulator choice.
 */

const IDP_ISSUER = 'settings.signOn.idpIssuer';
const NAME_ID_TEMPLATE = 'settings.signOn.subjectNameIdTemplate';
const OVERRIDE = 'urn:example:okta:frontline';
const DEFAULT_TEMPLATE = 'http://www.okta.com/${org.externalKey}';
/** The demo app's default issuer, as its metadata renders `http://www.okta.com/${org.externalKey}`. */
const DEFAULT_ISSUER = `http://www.okta.com/exk${DEMO.appId.slice(3)}`;

const signOn = (c: SignInContract, patch: Record<string, unknown>) =>
  editApp(c, (app) => Object.assign(app.settings.signOn, patch));

/** The issuer `setup` would print for Frontline's console now (it reads Okta's IdP metadata). */
const printedIssuer = async (c: SignInContract) =>
  (await consoleValues(createGuardDirectory(clientFor(c.okta)), DEMO.appId, new Date())).idpIssuer;

/** `check --json`'s idpIssuer finding, if any. */
async function issuerFinding(c: SignInContract, env: Record<string, string> = {}) {
  const { stdout } = await captureOutput(() => checkCommand(['--json'], { ...c.env, ...env }));
  return (JSON.parse(stdout) as CheckDocument).findings.find((f) => f.path === IDP_ISSUER);
}

describe('Contract: the IdP issuer and the Name ID template', () => {
  const c = useSignInContract();
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it.each([
    ['an override of the SAML Issuer ID', OVERRIDE, OVERRIDE],
    [
      'the default with https',
      'https://www.okta.com/${org.externalKey}',
      DEFAULT_ISSUER.replace('http:', 'https:'),
    ],
  ])(
    '%s after the default was recorded: check reports idpIssuer as breaks-sso, the sign-in fails with issuer_mismatch, repair puts the recorded issuer back and the agent signs in',
    async (_what, idpIssuer, rendered) => {
      await signOn(c, { idpIssuer });

      expect(await printedIssuer(c)).toBe(rendered);
      expect(await check(c)).toEqual({ code: 2, paths: [IDP_ISSUER] });
      expect(await issuerFinding(c)).toMatchObject({
        severity: 'breaks-sso',
        repairable: true,
        expected: DEFAULT_TEMPLATE,
        actual: idpIssuer,
        message: expect.stringContaining(`Frontline's console holds the IdP issuer ${DEFAULT_TEMPLATE}`),
      });
      expect(await signIn(c)).toMatchObject({ ok: false, refusedBy: 'frontline', code: 'issuer_mismatch' });

      const repaired = await repair(c);
      expect(repaired.code).toBe(0);
      expect(repaired.doc.before.map((f) => f.path)).toEqual([IDP_ISSUER]);
      expect(await printedIssuer(c)).toBe(DEFAULT_ISSUER);
      expect(await check(c)).toEqual({ code: 0, paths: [] });
      expect(await signIn(c)).toMatchObject({ ok: true, identity: AGENT_IDENTITY });
    },
  );

  it('an override pasted into Frontline and confirmed: check reports nothing, the sign-in works, and a later change back to the default is repaired to the override, not to the default', async () => {
    await signOn(c, { idpIssuer: OVERRIDE });
    await pasteConsoleValues(c);
    expect(await check(c, ['--confirm-certificate'])).toEqual({ code: 0, paths: [] });

    expect(await check(c)).toEqual({ code: 0, paths: [] });
    expect(await signIn(c)).toMatchObject({ ok: true, identity: AGENT_IDENTITY });
    expect((await repair(c)).doc.changed).toBe(false);

    // Okta's default is now the wrong one: the console holds the override.
    await signOn(c, { idpIssuer: DEFAULT_TEMPLATE });
    expect(await issuerFinding(c)).toMatchObject({ severity: 'breaks-sso', expected: OVERRIDE });
    expect(await signIn(c)).toMatchObject({ ok: false, refusedBy: 'frontline', code: 'issuer_mismatch' });
    expect((await repair(c)).code).toBe(0);
    expect(await printedIssuer(c)).toBe(OVERRIDE);
    expect(await signIn(c)).toMatchObject({ ok: true, identity: AGENT_IDENTITY });
  });

  it('a certificate on record from before issue 20, with no issuer: an override is reported as risky, not repaired, and the default set back in Okta signs the agent in', async () => {
    // The state file format an earlier version wrote: the fingerprint only, read while no database exists.
    const stateFile = join(tmp.dir, `old-${Date.now()}.json`);
    const { certificate } = await consoleValues(
      createGuardDirectory(clientFor(c.okta)),
      DEMO.appId,
      new Date(),
    );
    writeFileSync(
      stateFile,
      JSON.stringify({
        version: 1,
        certificates: {
          [DEMO.appId]: { fingerprintSha256: certificate.fingerprintSha256, confirmedAt: 'x' },
        },
      }),
    );
    const old = { FRONTLINE_STATE_FILE: stateFile, FRONTLINE_DATA_DIR: `${stateFile}.data` };
    await signOn(c, { idpIssuer: OVERRIDE });

    expect(await check(c, [], old)).toEqual({ code: 2, paths: [IDP_ISSUER] });
    expect(await issuerFinding(c, old)).toMatchObject({
      severity: 'risky',
      repairable: false,
      expected: DEFAULT_TEMPLATE,
    });
    expect(await signIn(c)).toMatchObject({ ok: false, refusedBy: 'frontline', code: 'issuer_mismatch' });

    // Not rewritten: the console might hold the override, and a rewrite would break that one.
    await repair(c, [], old);
    expect(await printedIssuer(c)).toBe(OVERRIDE);

    await signOn(c, { idpIssuer: DEFAULT_TEMPLATE });
    expect(await check(c, [], old)).toEqual({ code: 0, paths: [] });
    expect(await signIn(c)).toMatchObject({ ok: true, identity: AGENT_IDENTITY });
  });

  it('a Name ID template other than ${user.userName}: check reports it (risky), the sign-in succeeds with the app username as NameID', async () => {
    // The agent's first name would make another NameID if Okta rendered the template there.
    await signOn(c, { subjectNameIdTemplate: '${user.firstName}' });

    expect(await check(c)).toEqual({ code: 2, paths: [NAME_ID_TEMPLATE] });
    const outcome = await signIn(c);
    expect(outcome).toMatchObject({ ok: true, nameId: AGENT_IDENTITY, identity: AGENT_IDENTITY });

    expect((await repair(c)).code).toBe(0);
    expect(await check(c)).toEqual({ code: 0, paths: [] });
  });
});
