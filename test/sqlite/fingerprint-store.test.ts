import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importStateFileOnce, sqliteFingerprintStore } from '../../src/sqlite/fingerprint-store';
import { openLocalDatabase } from '../../src/sqlite/database';
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
