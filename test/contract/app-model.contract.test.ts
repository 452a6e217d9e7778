import { DEMO } from '../../emulator/okta';
import { appRulesFor, CASB_OVERRIDES } from '../../src/domain/app-config';
import { checkAppRules, isClaimPath } from '../../src/domain/federated-claims';
import {
  AGENT_IDENTITY,
  admin,
  check,
  editApp,
  repair,
  signIn,
  useSignInContract,
  type RefusalCode,
  type SignInContract,
} from './sign-in-contract';

/*
 * The contract for the app as Okta keeps it today (issue 23): federated claims beside the legacy attribute
 * statements, and the CASB overrides. For each new finding `check` reports, the demo agent's sign-in through both
 * emulators fails (or, marked `false alarm`, succeeds for the reason given) and `repair` signs them in again. The
 * admin's working choices the rules accept — roles as the constant "agent" in either store, an override set to
 * Frontline's own value — report nothing, sign the agent in, and `repair` leaves them alone.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CLAIMS = `/api/v1/apps/${DEMO.appId}/federated-claims`;
/** A CASB proxy's address: where Okta's `…Override` fields send a Response instead of to Twilio. */
const CASB = 'https://casb.example.net/saml';
const ACS = `https://iam.twilio.com/v2/saml2/authenticate/${DEMO.realmSid}`;
const AUDIENCE = `https://iam.twilio.com/v2/saml2/metadata/${DEMO.realmSid}`;

interface Refused {
  refusedBy: 'okta' | 'browser' | 'frontline';
  code: RefusalCode;
}

type FalseAlarm = `false alarm: ${string}`;
const falseAlarm = (why: string): FalseAlarm => `false alarm: ${why}`;

interface Row {
  /** The finding path `check --json` reports (among others a row may cause). */
  finding: string;
  breakage: string;
  break: (c: SignInContract) => Promise<void>;
  /** How the sign-in fails, or why it succeeds although `check` reports the finding. */
  signIn: Refused | FalseAlarm;
  /** The operator's way back. @default `repair` */
  recover?: (c: SignInContract) => Promise<void>;
}

const addClaim = (c: SignInContract, name: string, expression: string) =>
  admin(c, 'POST', CLAIMS, { name, expression }).then(() => undefined);
const dropStatement = (c: SignInContract, name: string) =>
  editApp(
    c,
    (app) =>
      (app.settings.signOn.attributeStatements = app.settings.signOn.attributeStatements.filter(
        (s: Json) => s.name !== name,
      )),
  );
const signOn = (c: SignInContract, patch: Json) =>
  editApp(c, (app) => Object.assign(app.settings.signOn, patch));

/** `repair` fixes what it may; the duplicate stays until `--remove-duplicate-claims`, which keeps the statement. */
async function removeDuplicate(c: SignInContract): Promise<void> {
  expect((await repair(c)).code).toBe(2);
  const removed = await repair(c, ['--remove-duplicate-claims']);
  expect(removed.code).toBe(0);
  expect(await admin(c, 'GET', CLAIMS)).toEqual([]);
}

const ROWS: Row[] = [
  {
    finding: 'federatedClaims[roles]',
    breakage: 'roles moved to a federated claim of user.profile.title',
    break: async (c) => {
      await dropStatement(c, 'roles');
      await addClaim(c, 'roles', 'user.profile.title');
    },
    signIn: { refusedBy: 'frontline', code: 70002 },
  },
  {
    finding: 'federatedClaims[email]',
    breakage: 'email moved to a federated claim of user.profile.secondEmail, which the agent has none of',
    break: async (c) => {
      await dropStatement(c, 'email');
      await addClaim(c, 'email', 'user.profile.secondEmail');
    },
    signIn: { refusedBy: 'frontline', code: 'email_missing' },
  },
  {
    finding: 'federatedClaims[email]',
    breakage: 'email moved to a federated claim written as a legacy statement (user.email)',
    break: async (c) => {
      await dropStatement(c, 'email');
      await addClaim(c, 'email', 'user.email');
    },
    // Claims are Identity Engine expressions: user.email names no profile attribute there.
    signIn: { refusedBy: 'okta', code: 'expression' },
  },
  {
    finding: 'duplicateClaims[roles]',
    breakage: 'a federated claim roles = "supervisor" beside the legacy statement',
    break: (c) => addClaim(c, 'roles', '"supervisor"'),
    // Both are sent (the emulator's reading): roles = agent, supervisor, and Frontline knows only agent.
    signIn: { refusedBy: 'frontline', code: 70002 },
    recover: async (c) => {
      // `repair` fixes the claim where it lives and holds the duplicate: the agent signs in again already.
      expect((await repair(c)).code).toBe(2);
      expect(await check(c)).toEqual({ code: 2, paths: ['duplicateClaims[roles]'] });
      expect(await signIn(c)).toMatchObject({ ok: true, identity: AGENT_IDENTITY });
      await removeDuplicate(c);
    },
  },
  {
    finding: 'duplicateClaims[roles]',
    breakage: 'a federated claim roles = "agent" beside the legacy statement',
    break: (c) => addClaim(c, 'roles', '"agent"'),
    signIn: falseAlarm(
      'both say agent today; which one Okta sends is not documented, so an edit to either may or may not change ' +
        'what Frontline gets',
    ),
    recover: removeDuplicate,
  },
  {
    finding: 'duplicateClaims[email]',
    breakage: 'a federated claim email = user.profile.email beside the legacy statement',
    break: (c) => addClaim(c, 'email', 'user.profile.email'),
    signIn: falseAlarm('both give the same email today; which one Okta sends is not documented'),
    recover: removeDuplicate,
  },
  {
    finding: 'settings.signOn.ssoAcsUrlOverride',
    breakage: 'ssoAcsUrlOverride names a CASB proxy',
    break: (c) => signOn(c, { ssoAcsUrlOverride: `${CASB}/acs` }),
    // Okta's form posts to the proxy: the Response never reaches Twilio's assertion consumer.
    signIn: { refusedBy: 'browser', code: 'posted-elsewhere' },
  },
  {
    finding: 'settings.signOn.recipientOverride',
    breakage: 'recipientOverride names a CASB proxy',
    break: (c) => signOn(c, { recipientOverride: `${CASB}/acs` }),
    signIn: { refusedBy: 'frontline', code: 'recipient_mismatch' },
  },
  {
    finding: 'settings.signOn.destinationOverride',
    breakage: 'destinationOverride names a CASB proxy',
    break: (c) => signOn(c, { destinationOverride: `${CASB}/acs` }),
    signIn: { refusedBy: 'frontline', code: 'destination_mismatch' },
  },
  {
    finding: 'settings.signOn.audienceOverride',
    breakage: 'audienceOverride names a CASB proxy',
    break: (c) => signOn(c, { audienceOverride: `${CASB}/metadata` }),
    signIn: { refusedBy: 'frontline', code: 'audience_mismatch' },
  },
];

/** The admin's working choices: no finding, a sign-in, and nothing for `repair` to change. */
const VALID: { choice: string; make: (c: SignInContract) => Promise<void> }[] = [
  {
    choice: 'the legacy roles statement sends the constant "agent"',
    make: (c) =>
      editApp(c, (app) => {
        const roles = app.settings.signOn.attributeStatements.find((s: Json) => s.name === 'roles');
        roles.values = ['"agent"'];
      }),
  },
  {
    choice: 'roles is a federated claim of the constant "agent" (no legacy statement)',
    make: async (c) => {
      await dropStatement(c, 'roles');
      await addClaim(c, 'roles', '"agent"');
    },
  },
  {
    choice: 'email and roles are federated claims of the profile (no legacy statements)',
    make: async (c) => {
      await editApp(c, (app) => (app.settings.signOn.attributeStatements = []));
      await addClaim(c, 'email', 'user.profile.email');
      await addClaim(c, 'roles', 'user.profile.userType');
    },
  },
  {
    choice: "each CASB override is set to Frontline's own address",
    make: (c) =>
      signOn(c, {
        ssoAcsUrlOverride: ACS,
        recipientOverride: ACS,
        destinationOverride: ACS,
        audienceOverride: AUDIENCE,
      }),
  },
];

const backed = ROWS.filter((r): r is Row & { signIn: Refused } => typeof r.signIn !== 'string');
const falseAlarms = ROWS.filter((r) => typeof r.signIn === 'string');

describe('Contract: federated claims, CASB overrides and the sign-in', () => {
  const c = useSignInContract();

  it('has a row for every finding path the claims and the overrides add', () => {
    // The demo app with every override set elsewhere, and a wrong claim of each name beside its statement.
    const app = structuredClone(c.okta.state.getApp(DEMO.appId)!) as Json;
    for (const [field] of CASB_OVERRIDES) app.settings.signOn[field] = CASB;
    const claims = [
      { id: 'ofc1', name: 'email', expression: 'user.email' },
      { id: 'ofc2', name: 'roles', expression: 'user.profile.title' },
    ];
    const added = checkAppRules(
      app,
      appRulesFor(DEMO.realmSid, { pinnedUserNameTemplate: undefined }),
      claims,
    )
      .map((f) => f.path)
      .filter((p) => isClaimPath(p) || /Override$/.test(p));
    expect(added).toHaveLength(8);
    expect(added.filter((p) => !ROWS.some((r) => r.finding === p))).toEqual([]);
  });

  it.each(backed)(
    '$finding ($breakage): check reports it, the sign-in fails at $signIn.refusedBy with $signIn.code, the fix signs the agent in',
    async (row) => {
      await row.break(c);
      const found = await check(c);
      expect(found.code).toBe(2);
      expect(found.paths).toContain(row.finding);

      expect(await signIn(c)).toMatchObject({ ok: false, ...(row.signIn as Refused) });

      await (row.recover ?? (async () => expect((await repair(c)).code).toBe(0)))(c);
      expect(await check(c)).toEqual({ code: 0, paths: [] });
      expect(await signIn(c)).toMatchObject({ ok: true, identity: AGENT_IDENTITY });
    },
  );

  it.each(falseAlarms)('$finding ($breakage): check reports it, yet the sign-in succeeds', async (row) => {
    await row.break(c);
    const found = await check(c);
    expect(found).toEqual({ code: 2, paths: [row.finding] });
    expect(await signIn(c)).toMatchObject({ ok: true, identity: AGENT_IDENTITY });

    await (row.recover ?? (async () => expect((await repair(c)).code).toBe(0)))(c);
    expect(await check(c)).toEqual({ code: 0, paths: [] });
    expect(await signIn(c)).toMatchObject({ ok: true, identity: AGENT_IDENTITY });
  });

  it.each(VALID)(
    '$choice: check finds nothing, the agent signs in, repair changes nothing',
    async ({ make }) => {
      await make(c);
      expect(await check(c)).toEqual({ code: 0, paths: [] });
      expect(await signIn(c)).toMatchObject({ ok: true, identity: AGENT_IDENTITY });
      const repaired = await repair(c);
      expect(repaired).toMatchObject({ code: 0, doc: { changed: false, before: [] } });
    },
  );
});
