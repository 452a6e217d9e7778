import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { run as checkCommand } from '../../src/cli/check';
import type { CheckDocument, StatusDocument } from '../../src/cli/documents';
import { run as doctorCommand } from '../../src/cli/doctor';
import { run as explainCommand } from '../../src/cli/explain';
import { run as statusCommand } from '../../src/cli/status';
import { openLocalDatabase } from '../../src/sqlite/database';
import { sqliteFingerprintStore } from '../../src/sqlite/fingerprint-store';
import { captureOutput, envFor, tempDir, useEmulatorOrg } from '../app-guard/helpers';
import { jsonOf } from './helpers';

/*
 * Read-only commands never create state: run against a FRONTLINE_DATA_DIR (and state file) inside a folder that
 * does not exist, the folder still does not exist afterwards.
 */

let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;
useEmulatorOrg({ seed: 'demo', resetEachTest: false }, (started, dir) => {
  emu = started;
  tmp = dir;
});

let n = 0;
/** A fresh, absent folder holding the data dir and the state file. */
function absentPlace(): { folder: string; env: NodeJS.ProcessEnv } {
  const folder = join(tmp.dir, `absent-${(n += 1)}`);
  return {
    folder,
    env: envFor(emu, join(folder, 'state.json'), { FRONTLINE_DATA_DIR: join(folder, 'data') }),
  };
}

describe('Read-only commands: no state created', () => {
  it.each([
    ['status', () => statusCommand],
    [
      'explain',
      () => (args: string[], env: NodeJS.ProcessEnv) => explainCommand([DEMO.users.agent, ...args], env),
    ],
    ['doctor', () => doctorCommand],
  ])('%s leaves FRONTLINE_DATA_DIR uncreated', async (_name, command) => {
    const { folder, env } = absentPlace();

    const { code } = await captureOutput(() => command()([], env));

    expect(code).not.toBe(1);
    expect(existsSync(folder)).toBe(false);
  });

  it('check without --confirm-certificate records nothing and says how to, when there is no database', async () => {
    const { folder, env } = absentPlace();

    const human = await captureOutput(() => checkCommand([], env));
    const { code, doc } = await jsonOf<CheckDocument>(() => checkCommand(['--json'], env));

    expect(human.code).toBe(0);
    expect(human.stdout).toContain('No certificate on record');
    expect(human.stdout).toContain('check --confirm-certificate');
    expect(code).toBe(0);
    expect(doc.baseline).toBeUndefined();
    expect(doc.certificate?.confirmed).toBe(false);
    expect(existsSync(folder)).toBe(false);
  });

  it('check --confirm-certificate creates the database and records the certificate', async () => {
    const { folder, env } = absentPlace();

    const { code } = await captureOutput(() => checkCommand(['--confirm-certificate'], env));

    expect(code).toBe(0);
    const db = openLocalDatabase(join(folder, 'data'));
    try {
      expect(await sqliteFingerprintStore(db).get(DEMO.appId)).toMatch(/^[0-9A-F:]{95}$/);
    } finally {
      db.close();
    }
  });

  it('check records the baseline in a database that exists already, as setup would', async () => {
    const { folder, env } = absentPlace();
    openLocalDatabase(join(folder, 'data')).close();

    const { code, doc } = await jsonOf<CheckDocument>(() => checkCommand(['--json'], env));

    expect(code).toBe(0);
    expect(doc.baseline).toBe('recorded');
  });
});

describe('Command: status on a corrupt database', () => {
  it('says the database is not a readable SQLite database, exits 1, and leaves the file as it was', async () => {
    const { folder, env } = absentPlace();
    const dataDir = join(folder, 'data');
    mkdirSync(dataDir, { recursive: true });
    const garbage = 'not a database, just some bytes\n'.repeat(64);
    writeFileSync(join(dataDir, 'frontline.db'), garbage);

    const human = await captureOutput(() => statusCommand([], env));
    const { code, doc } = await jsonOf<StatusDocument>(() => statusCommand(['--json'], env));

    expect(human.code).toBe(1);
    expect(human.stdout).toContain(
      `Queue         database ${join(dataDir, 'frontline.db')} is not a readable SQLite database`,
    );
    expect(human.stdout).not.toContain('serve has not run here');
    expect(code).toBe(1);
    expect(doc.errors).toEqual([
      { part: 'local', message: expect.stringContaining('is not a readable SQLite database') },
    ]);
    // The app itself was still read; only the certificate's baseline, kept in that database, is unknown.
    expect(doc.app).toMatchObject({ appId: DEMO.appId, checked: true });
    expect(doc.certificate).toBeUndefined();
    expect(readFileSync(join(dataDir, 'frontline.db'), 'utf8')).toBe(garbage);
    expect(readdirSync(dataDir)).toEqual(['frontline.db']);
  });
});
