import { join } from 'node:path';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { run as checkCommand } from '../../src/cli/check';
import type { ErrorDocument, StatusDocument } from '../../src/cli/documents';
import { run as statusCommand } from '../../src/cli/status';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import type { WorkItem } from '../../src/domain/work-item';
import { recordReconcileRun } from '../../src/sqlite/last-reconcile';
import { SqliteWorkQueue } from '../../src/sqlite/work-queue';
import { openLocalDatabase } from '../../src/sqlite/database';
import { registerEventHook } from '../../src/okta/event-hooks';
import { RECORD_KINDS } from '../../src/dynamodb/keys';
import { captureOutput, clientFor, envFor, tempDir } from '../app-guard/helpers';
import { jsonOf, keysOf, sortedKeys, verificationServer } from './helpers';

let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;
beforeEach(async () => {
  emu = await startOktaEmulator({ seed: 'demo', rateLimits: false });
  tmp = tempDir();
});
afterEach(async () => {
  await emu.stop();
  tmp.cleanup();
});

const item = (userId: string, eventUuid: string): WorkItem => ({
  kind: 'converge-user',
  userId,
  triggers: [{ eventUuid, eventType: 'user.lifecycle.activate' }],
  source: 'event-hook',
});

const envOf = () => envFor(emu, join(tmp.dir, 'state.json'), { FRONTLINE_DATA_DIR: join(tmp.dir, 'data') });

async function registerHook(secret = 'status-hook-secret-0123456789'): Promise<void> {
  const receiver = await verificationServer(secret);
  try {
    await registerEventHook(clientFor(emu), {
      name: 'Frontline provisioner',
      url: receiver.url,
      eventTypes: SUBSCRIBED_EVENT_TYPES,
      authHeader: 'Authorization',
      secret,
    });
  } finally {
    await receiver.close();
  }
}

describe('Command: status', () => {
  it('exits 2 naming what a fresh org lacks: no event hook, no confirmed certificate, no local database', async () => {
    const { code, doc } = await jsonOf<StatusDocument>(() => statusCommand(['--json'], envOf()));

    expect(code).toBe(2);
    // No `local` without a database (undefined keys are left out).
    expect(sortedKeys(doc)).toEqual(['app', 'attention', 'certificate', 'errors', 'hook', 'ok']);
    expect(doc).toMatchObject({
      ok: false,
      hook: { found: false, name: 'Frontline provisioner' },
      app: { appId: DEMO.appId, checked: true, valid: true, findings: 0 },
      certificate: { kid: DEMO.signingKid, baseline: 'unconfirmed' },
      errors: [],
    });
    expect(doc.local).toBeUndefined();
    expect(doc.attention).toEqual([
      expect.stringContaining('no event hook named "Frontline provisioner"'),
      expect.stringContaining('no certificate is confirmed'),
    ]);
  });

  it('exits 0 once the hook is verified and the certificate confirmed, and shows serve’s database', async () => {
    await registerHook();
    await captureOutput(() => checkCommand(['--confirm-certificate'], envOf()));
    const db = openLocalDatabase(join(tmp.dir, 'data'));
    new SqliteWorkQueue(db).enqueueNow([item(DEMO.users.newHire, 'u1')]);
    recordReconcileRun(db, {
      at: '2026-01-01T00:00:00.000Z',
      outcome: 'planned',
      plannedChanges: 3,
      enqueued: 3,
    });
    db.close();

    const { code, doc } = await jsonOf<StatusDocument>(() => statusCommand(['--json'], envOf()));

    expect(doc.attention).toEqual([]);
    expect(code).toBe(0);
    expect(sortedKeys(doc)).toEqual(
      keysOf<StatusDocument>()([
        'ok',
        'hook',
        'app',
        'certificate',
        'local',
        'identities',
        'attention',
        'errors',
      ]),
    );
    expect(doc.hook).toMatchObject({
      found: true,
      status: 'ACTIVE',
      verificationStatus: 'VERIFIED',
      missingEventTypes: [],
    });
    expect(doc.certificate?.baseline).toBe('confirmed');
    expect(sortedKeys(doc.certificate)).toEqual(
      keysOf<NonNullable<StatusDocument['certificate']>>()([
        'kid',
        'fingerprintSha256',
        'expiresAt',
        'daysToExpiry',
        'baseline',
      ]),
    );
    expect(doc.local).toMatchObject({
      queued: 1,
      inFlight: 0,
      dead: 0,
      lastReconcile: { outcome: 'planned', plannedChanges: 3, enqueued: 3 },
    });
    expect(doc.local?.catchUp).toBeUndefined();
  });

  it('exits 2 on dead letters and a refused reconcile, and shows a catch-up cursor when the database has one', async () => {
    await registerHook();
    await captureOutput(() => checkCommand(['--confirm-certificate'], envOf()));
    const db = openLocalDatabase(join(tmp.dir, 'data'));
    const queue = new SqliteWorkQueue(db, { maxReceives: 1 });
    queue.enqueueNow([item(DEMO.users.agent, 'u2')]);
    queue.fail(queue.receive()!, 'HTTP 500');
    recordReconcileRun(db, {
      at: '2026-01-01T00:00:00.000Z',
      outcome: 'guard-tripped',
      plannedChanges: 40,
      enqueued: 0,
      reason: 'would unassign 40 of 50',
    });
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(
      RECORD_KINDS.catchupCursor,
      JSON.stringify({
        next: 'https://example.okta.com/api/v1/logs?after=x',
        updatedAt: '2026-01-02T00:00:00.000Z',
      }),
    );
    db.close();

    const { code, doc } = await jsonOf<StatusDocument>(() => statusCommand(['--json'], envOf()));
    const text = await captureOutput(() => statusCommand([], envOf()));

    expect(code).toBe(2);
    expect(doc.local).toMatchObject({ dead: 1, catchUp: { updatedAt: '2026-01-02T00:00:00.000Z' } });
    expect(doc.attention).toEqual([
      expect.stringContaining('1 dead letter(s)'),
      expect.stringContaining('refused by the mass-removal guard: would unassign 40 of 50'),
    ]);
    expect(JSON.stringify(doc)).not.toContain('after=x');
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('Catch-up      cursor saved 2026-01-02T00:00:00.000Z');
    expect(text.stdout).toContain('Needs attention:');
  });

  it('exits 2 when the hook misses event types the receiver handles', async () => {
    await registerHook();
    const receiver = await verificationServer('status-hook-secret-0123456789');
    try {
      await registerEventHook(clientFor(emu), {
        name: 'Frontline provisioner',
        url: receiver.url,
        eventTypes: SUBSCRIBED_EVENT_TYPES.slice(1),
        authHeader: 'Authorization',
        secret: 'status-hook-secret-0123456789',
      });
    } finally {
      await receiver.close();
    }

    const { code, doc } = await jsonOf<StatusDocument>(() => statusCommand(['--json'], envOf()));

    expect(code).toBe(2);
    expect(doc.hook?.missingEventTypes).toEqual([SUBSCRIBED_EVENT_TYPES[0]]);
  });

  it('exits 1 with an ErrorDocument when Okta rejects the credentials', async () => {
    const { code, doc } = await jsonOf<ErrorDocument>(() =>
      statusCommand(['--json'], { ...envOf(), OKTA_API_TOKEN: 'not-the-token' }),
    );

    expect(code).toBe(1);
    expect(doc.ok).toBe(false);
    expect(doc.error.message).toContain('E0000011');
  });

  it('exits 1 naming the part that could not be read, and still reports the others', async () => {
    const { code, doc } = await jsonOf<StatusDocument>(() =>
      statusCommand(['--json'], { ...envOf(), FRONTLINE_APP_ID: '0oanotanapp000000000' }),
    );

    expect(code).toBe(1);
    expect(doc.errors).toEqual([{ part: 'app', message: expect.stringContaining('0oanotanapp000000000') }]);
    expect(doc.hook).toMatchObject({ found: false });
  });
});
