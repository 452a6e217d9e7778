import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { startFrontlineEmulator, type RunningFrontlineEmulator } from '../../emulator/frontline';
import type { CheckDocument, ExplainDocument, StatusDocument } from '../../src/cli/documents';
import { run as checkCommand } from '../../src/cli/check';
import { run as explainCommand } from '../../src/cli/explain';
import { run as reconcileCommand } from '../../src/cli/reconcile';
import { run as statusCommand } from '../../src/cli/status';
import { databasePath, openLocalDatabase } from '../../src/sqlite/database';
import { sqliteIdentityStore } from '../../src/sqlite/identity-store';
import { recordReconcileRun } from '../../src/sqlite/last-reconcile';
import { captureOutput, envFor, useEmulatorOrg, type tempDir } from '../app-guard/helpers';
import { jsonOf } from './helpers';

/*
 * What `check`, `status` and `explain` say about identities: agents whose Frontline identity (their app username)
 * changed since it was recorded, and NameIDs that are not the email; and the CLI `reconcile` recording every app
 * user's identity in serve's database.
 */

let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;
let run = 0;
useEmulatorOrg({ seed: 'demo', resetEachTest: true }, (started, dir) => {
  emu = started;
  tmp = dir;
});

/** A fresh state file and data directory per test. */
function envOf(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  run += 1;
  return envFor(emu, join(tmp.dir, `state-${run}.json`), extra);
}
const dataDirOf = (env: NodeJS.ProcessEnv) => String(env.FRONTLINE_DATA_DIR);
const userNameOf = (userId: string) =>
  emu.state.listAppUsers(DEMO.appId).find((u) => u.id === userId)?.userName;

describe('Command: check, identities', () => {
  it('counts agents whose username changed since it was recorded, and NameIDs that are not the email', async () => {
    const env = envOf();
    const db = openLocalDatabase(dataDirOf(env));
    await sqliteIdentityStore(db).record(DEMO.users.agent, 'alex.before@example.com');
    db.close();

    const { code, doc } = await jsonOf<CheckDocument>(() => checkCommand(['--json'], env));
    const { stdout } = await captureOutput(() => checkCommand([], env));

    expect(code).toBe(0); // reported, never a finding
    expect(doc.identities?.changedSinceRecorded).toEqual([
      {
        userId: DEMO.users.agent,
        recorded: 'alex.before@example.com',
        current: userNameOf(DEMO.users.agent),
      },
    ]);
    expect(doc.identities?.nameIdNotEmail).toEqual([
      { userId: DEMO.users.oddUserName, nameId: 'omar', email: 'omar.oddname@example.com' },
    ]);
    expect(stdout).toContain('Identity changed since the last run: 1 agent(s)');
    expect(stdout).toContain('Frontline creates a new, empty user');
    expect(stdout).toContain('NameID differs from email for 1 agent(s)');
  });

  it('compares nothing, and creates no database, when serve has recorded nothing here', async () => {
    const env = envOf();
    const { doc } = await jsonOf<CheckDocument>(() => checkCommand(['--json'], env));
    expect(doc.identities?.changedSinceRecorded).toBeUndefined();
    expect(existsSync(databasePath(dataDirOf(env)))).toBe(false);
  });
});

describe('Command: status, identities', () => {
  it('counts identities recorded as changed since the last reconcile, and says what it means', async () => {
    const env = envOf();
    const db = openLocalDatabase(dataDirOf(env));
    recordReconcileRun(db, {
      at: '2000-01-01T00:00:00.000Z',
      outcome: 'planned',
      plannedChanges: 0,
      enqueued: 0,
    });
    const store = sqliteIdentityStore(db);
    await store.record(DEMO.users.agent, 'alex.before@example.com');
    await store.record(DEMO.users.agent, 'alex.agent@example.com');
    await store.record(DEMO.users.leaver, 'lee.leaver@example.com');
    db.close();

    const { doc } = await jsonOf<StatusDocument>(() => statusCommand(['--json'], env));
    const { stdout } = await captureOutput(() => statusCommand([], env));

    expect(doc.identities).toEqual({ changedSinceLastRun: 1, since: '2000-01-01T00:00:00.000Z' });
    expect(stdout).toMatch(/Identities +1 changed since the last reconcile: at their next sign-in/);
  });
});

describe('Command: explain, NameID and email', () => {
  it('says per user when the NameID is not the email, with the remedy', async () => {
    const env = envOf();
    const { doc } = await jsonOf<ExplainDocument>(() =>
      explainCommand([DEMO.users.oddUserName, '--json'], env),
    );
    const { stdout } = await captureOutput(() => explainCommand([DEMO.users.oddUserName], env));

    expect(doc.frontline.nameIdNotEmail).toMatch(/NameID "omar" is not the email "omar.oddname@example.com"/);
    expect(stdout).toContain('note: NameID "omar" is not the email');
  });
});

describe('Command: reconcile, the install-day record', () => {
  let frontline: RunningFrontlineEmulator;
  beforeAll(async () => {
    frontline = await startFrontlineEmulator();
  });
  afterAll(() => frontline.stop());

  it('records every app user’s identity in serve’s database when Frontline offboarding is on, never in a dry run', async () => {
    const twilio = {
      TWILIO_ACCOUNT_SID: frontline.accountSid,
      TWILIO_AUTH_TOKEN: 'frontline-emulator-token',
      FRONTLINE_API_URL: frontline.url,
    };
    const env = envOf(twilio);

    await captureOutput(() => reconcileCommand(['--dry-run'], env));
    expect(existsSync(databasePath(dataDirOf(env)))).toBe(false);

    const assigned = emu.state.listAppUsers(DEMO.appId); // the app's users as the run lists them
    const { stdout } = await captureOutput(() => reconcileCommand(['--allow-mass-grant'], env));

    expect(stdout).toContain("Frontline identities recorded from the app's users:");
    const db = openLocalDatabase(dataDirOf(env));
    const records = await sqliteIdentityStore(db).listAll();
    db.close();
    expect(records.map((r) => [r.userId, r.identity])).toEqual(
      expect.arrayContaining(assigned.map((u) => [u.id, u.userName])),
    );
    expect(records.find((r) => r.userId === DEMO.users.oddUserName)?.identity).toBe('omar');
    expect(frontline.control.requestLog()).toEqual([]);
  });
});
