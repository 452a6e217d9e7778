import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdentityStoreError } from '../../src/domain/identity-record';
import { sqliteIdentityStore } from '../../src/sqlite/identity-store';
import { openLocalDatabase } from '../../src/sqlite/database';

describe('Function: sqliteIdentityStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'identities-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the latest identity per user across a reopen of the database', async () => {
    const t1 = new Date('2026-12-01T10:00:00.000Z');
    const t2 = new Date('2026-12-01T11:00:00.000Z');
    let clock = t1;
    const db = openLocalDatabase(dir);
    const store = sqliteIdentityStore(db, () => clock);
    await store.record('00u1', 'old@x');
    clock = t2;
    await store.record('00u1', 'New@X');
    await store.record('00u2', 'b@x');
    db.close();

    const reopened = sqliteIdentityStore(openLocalDatabase(dir));
    await expect(reopened.get('00u1')).resolves.toEqual({
      userId: '00u1',
      identity: 'New@X',
      recordedAt: t2.toISOString(),
      // The identity it replaced: a Frontline user under it may still hold a session.
      previous: ['old@x'],
    });
    await expect(reopened.get('00u9')).resolves.toBeUndefined();
    expect((await reopened.listAll()).map((r) => [r.userId, r.identity])).toEqual([
      ['00u1', 'New@X'],
      ['00u2', 'b@x'],
    ]);
  });

  it('adds the history column to a database made before it, keeping its records', async () => {
    const db = openLocalDatabase(dir);
    db.exec(
      'CREATE TABLE identities (user_id TEXT PRIMARY KEY, identity TEXT NOT NULL, recorded_at TEXT NOT NULL)',
    );
    db.prepare('INSERT INTO identities VALUES (?, ?, ?)').run('00u1', 'old@x', '2026-11-01T00:00:00.000Z');
    const store = sqliteIdentityStore(db);
    await expect(store.get('00u1')).resolves.toEqual({
      userId: '00u1',
      identity: 'old@x',
      recordedAt: '2026-11-01T00:00:00.000Z',
    });
    await store.record('00u1', 'new@x');
    await expect(store.get('00u1')).resolves.toMatchObject({ identity: 'new@x', previous: ['old@x'] });
    db.close();
  });

  it('fails with IdentityStoreError once the database is closed', async () => {
    const db = openLocalDatabase(dir);
    const store = sqliteIdentityStore(db);
    db.close();
    await expect(store.record('00u1', 'a@x')).rejects.toBeInstanceOf(IdentityStoreError);
  });
});
