#!/usr/bin/env node
/*
 * `npm start`: the whole story on one laptop, with no AWS, no Okta and no Twilio account.
 * Starts the Okta emulator (demo org), the Frontline Users API emulator beside it, and the local runtime (the same receiver and worker as on Lambda), registers
 * and verifies the event hook through the Okta API as in production, then onboards one user and offboards another
 * through real event-hook deliveries. `--once` exits after the walkthrough (for smoke tests).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DEMO, DEMO_SEED, SsoRefusedError, startOktaEmulator } from '../emulator/okta';
import { DEFAULT_FRONTLINE_AUTH_TOKEN, startFrontlineEmulator } from '../emulator/frontline';
import type { FrontlineOutcome } from '../src/worker/frontline-step';
import { SUBSCRIBED_EVENT_TYPES } from '../src/domain/hook-events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settingsForOrg } from '../src/local/org-settings';
import { startLocalRuntime } from '../src/local/runtime';
import { finalLine, onShutdownSignal } from '../src/local/shutdown';
import { createOktaClient } from '../src/okta/client';
import { registerEventHook } from '../src/okta/event-hooks';
import { createGuardDirectory } from '../src/okta/guard-directory';
import { consoleValues } from '../src/app-guard/setup';
import type { ConvergenceOutcome } from '../src/worker/converge';
import { busyPortMessage, parseStartArgs, type StartOptions } from '../src/cli/start-args';

function step(text: string): void {
  console.log(`\n▶ ${text}`);
}
function say(text: string): void {
  console.log(`  ${text}`);
}

async function main(): Promise<number> {
  const options = parseStartArgs(process.argv.slice(2), {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
  });
  if (typeof options === 'number') return options;
  try {
    return await walkthrough(options);
  } catch (err) {
    const busy =
      busyPortMessage(err, 'the Okta emulator', options.emulatorPort, '--emulator-port') ??
      busyPortMessage(err, 'the Frontline emulator', options.frontlinePort, '--frontline-port') ??
      busyPortMessage(err, 'the receiver', options.port, '--port');
    if (!busy) throw err;
    console.error(`npm start: ${busy}`);
    return 1;
  }
}

async function walkthrough({
  once,
  verbose,
  port,
  emulatorPort,
  frontlinePort,
}: StartOptions): Promise<number> {
  const started = Date.now();
  step('Starting the Okta emulator with the demo org');
  const emulator = await startOktaEmulator({ seed: 'demo', port: emulatorPort });
  say(`Okta emulator listening on ${emulator.url} (token ${emulator.token})`);
  step('Starting the Frontline emulator (Twilio: its Users API and its SAML sign-in) beside it');
  const frontline = await startFrontlineEmulator({ port: frontlinePort }).catch(async (err: unknown) => {
    await emulator.stop();
    throw err;
  });
  const leaverEmail = String(
    (emulator.state.getUser(DEMO.users.leaver)?.profile as { email?: unknown })?.email,
  );
  // The leaver signed in to the Frontline app earlier (SSO created their Frontline user) and is still signed in.
  frontline.control.signIn(leaverEmail, { friendlyName: 'Lee Leaver' });
  say(`Frontline emulator listening on ${frontline.url}; ${leaverEmail} is signed in to Frontline`);

  const settings = settingsForOrg(
    emulator,
    { groupId: DEMO.groupId, appId: DEMO.appId, realmSid: DEMO.realmSid },
    // The demo org is new on every start, so its queue is too: a scratch data dir, removed at the end.
    { port, dataDir: mkdtempSync(join(tmpdir(), 'frontline-demo-')) },
  );
  const hookSecret = settings.hookSecret;

  const waiting = new Map<string, (outcome: Outcome) => void>();
  // After the walkthrough every convergence gets one line, so the commands suggested below visibly do something.
  let narrate = false;
  const runtime = await startLocalRuntime({
    settings,
    frontline: {
      enabled: true,
      apiUrl: frontline.url,
      credentials: {
        kind: 'auth-token',
        accountSid: frontline.accountSid,
        authToken: DEFAULT_FRONTLINE_AUTH_TOKEN,
      },
    },
    logger: new Logger({ serviceName: 'frontline-local', logLevel: verbose ? 'INFO' : 'WARN' }),
    onOutcome: (outcome) => {
      waiting.get(outcome.userId)?.(outcome);
      if (narrate) console.log(convergenceLine(outcome));
    },
  }).catch(async (err: unknown) => {
    await emulator.stop();
    throw err;
  });
  say(`Receiver and worker listening on ${runtime.hookUrl}`);

  const client = createOktaClient({ orgUrl: emulator.url, credentials: settings.credentials });
  step('Registering the event hook through the Okta API (create, verify, activate)');
  const hook = await registerEventHook(client, {
    name: 'Frontline provisioner',
    url: runtime.hookUrl,
    eventTypes: SUBSCRIBED_EVENT_TYPES,
    authHeader: settings.hookAuthHeader,
    secret: hookSecret,
  });
  say(
    `Hook ${hook.hook.id}: ${hook.action}, ${hook.verified ? 'VERIFIED' : 'NOT verified'}, ${hook.hook.status}`,
  );
  if (!hook.verified || !hook.active) throw new Error('the event hook could not be verified and activated');

  step("The admin pastes the app's sign-in values into Frontline's console (Manage > SSO/Log in)");
  const values = await consoleValues(createGuardDirectory(client), DEMO.appId, new Date());
  frontline.control.configureSso(DEMO.realmSid, {
    issuer: values.idpIssuer,
    ssoUrl: values.idpSsoUrl,
    certificate: values.certificatePem,
  });
  say(
    `Identity provider issuer ${values.idpIssuer}, SSO URL ${values.idpSsoUrl}, certificate ${values.certificate.kid}`,
  );

  /** Okta's IdP-initiated sign-in for the user, posted to Frontline's assertion consumer; true when it let them in. */
  const signIn = async (userId: string): Promise<boolean> => {
    const issued = await emulator.control.issueSamlResponse(DEMO.appId, userId).catch((err: unknown) => {
      if (!(err instanceof SsoRefusedError)) throw err;
      say(`Okta refuses: ${err.reason}`);
      return undefined;
    });
    if (!issued) return false;
    const attributes = issued.attributes.map((a) => `${a.name} = "${a.values.join(', ')}"`).join(', ');
    say(`the assertion: NameID "${issued.nameId}", ${attributes}`);
    const result = await frontline.control.consume(DEMO.realmSid, issued.samlResponse, issued.relayState);
    if (!result.ok) {
      say(`Frontline refuses (${result.body.code}): ${result.body.reason}`);
      return false;
    }
    const { user, created } = result.body;
    say(
      `Frontline accepts: ${created ? 'created' : 'found'} user "${user.identity}" (${user.friendlyName ?? 'no name'}), ` +
        `state ${user.state}, ${user.activeSessions} active session(s)`,
    );
    return true;
  };

  const outcomeFor = (userId: string): Promise<Outcome> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no convergence for ${userId} within 20 s`)), 20_000);
      waiting.set(userId, (outcome) => {
        clearTimeout(timer);
        waiting.delete(userId);
        resolve(outcome);
      });
    });

  let ok = true;
  const newHire = await client.userApi.getUser({ userId: DEMO.users.newHire });
  step(`HR adds ${newHire.profile?.email} to "Frontline Agents" in Okta`);
  const t1 = Date.now();
  const onboarded = outcomeFor(DEMO.users.newHire);
  await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
  const o1 = await onboarded;
  const after1 = await client.userApi.getUser({ userId: DEMO.users.newHire });
  const assignment = await client.applicationApi
    .getApplicationUser({ appId: DEMO.appId, userId: DEMO.users.newHire })
    .catch(() => undefined);
  say(`event hook → queue → worker: ${o1.outcome} in ${Date.now() - t1} ms (${describe(o1)})`);
  say(
    `Okta now says: userType = "${String(after1.profile?.userType)}", assigned to Frontline as "${assignment?.credentials?.userName ?? '—'}"`,
  );
  ok &&= after1.profile?.userType === 'agent' && assignment !== undefined;

  step(
    `${newHire.profile?.email} clicks the Frontline app in Okta: Okta posts a SAML assertion to Frontline`,
  );
  ok &&= await signIn(DEMO.users.newHire);

  const leaver = await client.userApi.getUser({ userId: DEMO.users.leaver });
  step(`HR removes ${leaver.profile?.email} from "Frontline Agents"`);
  const before = frontline.control.getUser(leaverEmail);
  say(
    `Frontline before: state = ${before?.state}, ${before?.activeSessions} active session(s): they could keep working`,
  );
  const t2 = Date.now();
  const offboarded = outcomeFor(DEMO.users.leaver);
  await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.leaver });
  const o2 = await offboarded;
  const stillAssigned = await client.applicationApi
    .getApplicationUser({ appId: DEMO.appId, userId: DEMO.users.leaver })
    .then(() => true)
    .catch(() => false);
  say(`event hook → queue → worker: ${o2.outcome} in ${Date.now() - t2} ms (${describe(o2)})`);
  say(`Okta now says: assigned to Frontline = ${stillAssigned ? 'yes' : 'no'}`);
  const after = frontline.control.getUser(leaverEmail);
  say(
    `Frontline now says: state = ${after?.state}, ${after?.activeSessions} active session(s)` +
      (after?.state === 'deactivated' ? ': their Frontline session was ended' : ''),
  );
  ok &&= !stillAssigned && after?.state === 'deactivated' && after.activeSessions === 0;
  step(`${leaverEmail} tries to sign in to Frontline again`);
  ok &&= !(await signIn(DEMO.users.leaver));

  step(
    ok
      ? `Walkthrough done in ${Date.now() - started} ms: one user onboarded and signed in, one offboarded.`
      : 'Walkthrough FAILED',
  );

  if (once) {
    const report = await runtime.stop();
    await emulator.stop();
    await frontline.stop();
    rmSync(settings.dataDir, { recursive: true, force: true });
    if (report.leftQueued + report.leftInFlight.length + report.dead > 0) say(finalLine(report));
    return ok ? 0 : 1;
  }

  const auth = `-H "Authorization: SSWS ${emulator.token}"`;
  // Someone the walkthrough didn't touch who is ACTIVE and outside the group, to add by hand.
  const members = new Set(emulator.state.listGroupMemberIds(DEMO.groupId));
  const candidate =
    DEMO_SEED.users?.find(
      (u) => u.status === 'ACTIVE' && !members.has(u.id) && u.id !== DEMO.users.strayAssignee,
    )?.id ?? DEMO.users.newHire;
  console.log(`
Still running. Try more in another terminal (the emulator speaks the Okta API):
  # add someone to the group, then watch their userType and assignment change
  curl -s -X PUT ${auth} ${emulator.url}/api/v1/groups/${DEMO.groupId}/users/${candidate}
  curl -s ${auth} ${emulator.url}/api/v1/apps/${DEMO.appId}/users | head -c 600
  # suspend a member: their assignment is removed
  curl -s -X POST ${auth} ${emulator.url}/api/v1/users/${DEMO.users.agent}/lifecycle/suspend
  # the app guard, a full reconcile (dry run, then applied), and why a user has or lacks Frontline, against this org:
  export OKTA_ORG_URL=${emulator.url} OKTA_API_TOKEN=${emulator.token} FRONTLINE_GROUP_ID=${DEMO.groupId} FRONTLINE_APP_ID=${DEMO.appId} FRONTLINE_REALM_SID=${DEMO.realmSid}
  npm run cli -- check
  npm run cli -- reconcile --dry-run
  npm run cli -- reconcile
  npm run cli -- explain ${candidate}
Each convergence prints one line below. Ctrl-C stops both.`);
  narrate = true;
  return new Promise<number>((resolve) => {
    onShutdownSignal((signal) => {
      console.log(`${signal}: stopping…`);
      void runtime.stop().then(async (report) => {
        await emulator.stop();
        await frontline.stop();
        rmSync(settings.dataDir, { recursive: true, force: true });
        console.log(finalLine(report));
        resolve(0);
      });
    });
  });
}

type Outcome = ConvergenceOutcome & { frontline?: FrontlineOutcome };

function convergenceLine(outcome: Outcome): string {
  const time = new Date().toISOString().slice(11, 19);
  return `  ${time} ${outcome.userId}: ${outcome.outcome} in ${outcome.durationMs} ms (${describe(outcome)})`;
}

function describe(outcome: Outcome): string {
  const actions = outcome.actions
    .map((a) => (a.result === 'applied' ? a.type : `${a.type} (${a.result})`))
    .join(', ');
  const okta = actions ? `actions: ${actions}` : (outcome.reason ?? 'nothing to change');
  return outcome.frontline ? `${okta}; Frontline: ${outcome.frontline.result}` : okta;
}

main().then(
  (code) => {
    // Exit now: a drain that timed out may leave calls pending, and nothing may happen after the final line.
    process.exit(code);
  },
  (error: unknown) => {
    console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
