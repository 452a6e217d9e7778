import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { importStateFileOnce, sqliteFingerprintStore } from '../../src/sqlite/fingerprint-store';
import { databasePath, openLocalDatabase } from '../../src/sqlite/database';
import { tempDir } from '../app-guard/helpers';

describe('Function: importStateFileOnce', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('imports the confirmed certificates of a state file once, then leaves the database as confirmed since', async () => {
    const file = join(tmp.dir, '.frontline-state.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        certificates: { '0oa1': { fingerprintSha256: 'AA:BB', confirmedAt: '2026-01-01T00:00:00.000Z' } },
      }),
    );
    const db = openLocalDatabase(join(tmp.dir, 'data'));
    const store = sqliteFingerprintStore(db);

    expect(importStateFileOnce(db, file)).toBe(1);
    expect(await store.get('0oa1')).toBe('AA:BB');
    await store.confirm('0oa1', 'CC:DD', new Date());
    writeFileSync(file, JSON.stringify({ certificates: { '0oa1': { fingerprintSha256: 'OLD' } } }));
    expect(importStateFileOnce(db, file)).toBe(0);
    expect(await store.get('0oa1')).toBe('CC:DD');
    db.close();
  });

  it('imports nothing and remembers nothing while there is no state file', () => {
    const db = openLocalDatabase(join(tmp.dir, 'data2'));
    const file = join(tmp.dir, 'later.json');
    expect(importStateFileOnce(db, file)).toBe(0);
    writeFileSync(file, JSON.stringify({ certificates: { '0oa2': { fingerprintSha256: 'EE' } } }));
    expect(importStateFileOnce(db, file)).toBe(1);
    db.close();
  });
});

describe('Function: sqliteFingerprintStore', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('records the IdP issuer with the certificate, none when a confirmation names none', async () => {
    const db = openLocalDatabase(join(tmp.dir, 'issuer'));
    const store = sqliteFingerprintStore(db);

    await store.confirm('0oa1', 'AA:BB', new Date(), 'urn:example:okta:frontline');
    expect(await store.get('0oa1')).toBe('AA:BB');
    expect(await store.getIdpIssuer('0oa1')).toBe('urn:example:okta:frontline');
    await store.confirm('0oa1', 'CC:DD', new Date());
    expect(await store.getIdpIssuer('0oa1')).toBeUndefined();
    expect(await store.getIdpIssuer('0oa2')).toBeUndefined();
    db.close();
  });

  it('reads a database from before the issuer was recorded: the certificate kept, no issuer on record', async () => {
    const dir = join(tmp.dir, 'old');
    openLocalDatabase(dir).close();
    const old = new Database(databasePath(dir));
    old.exec('DROP TABLE certificates');
    old.exec(
      'CREATE TABLE certificates (app_id TEXT PRIMARY KEY, fingerprint_sha256 TEXT NOT NULL, confirmed_at TEXT NOT NULL)',
    );
    old.prepare('INSERT INTO certificates VALUES (?, ?, ?)').run('0oa1', 'AA:BB', '2026-01-01T00:00:00.000Z');
    old.close();

    const db = openLocalDatabase(dir);
    const store = sqliteFingerprintStore(db);
    expect(await store.get('0oa1')).toBe('AA:BB');
    expect(await store.getIdpIssuer('0oa1')).toBeUndefined();
    await store.confirm('0oa1', 'AA:BB', new Date(), 'http://www.okta.com/${org.externalKey}');
    expect(await store.getIdpIssuer('0oa1')).toBe('http://www.okta.com/${org.externalKey}');
    db.close();
  });

  it('imports the IdP issuer a state file recorded with a certificate', async () => {
    const file = join(tmp.dir, 'with-issuer.json');
    writeFileSync(
      file,
      JSON.stringify({
        certificates: {
          '0oa1': { fingerprintSha256: 'AA:BB', idpIssuer: 'urn:example:okta:frontline' },
          '0oa2': { fingerprintSha256: 'CC:DD' },
        },
      }),
    );
    const db = openLocalDatabase(join(tmp.dir, 'import'));
    const store = sqliteFingerprintStore(db);

    expect(importStateFileOnce(db, file)).toBe(2);
    expect(await store.getIdpIssuer('0oa1')).toBe('urn:example:okta:frontline');
    expect(await store.getIdpIssuer('0oa2')).toBeUndefined();
    db.close();
  });
});
