import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run as dlqCommand } from '../../src/cli/dlq';
import type { WorkItem } from '../../src/domain/work-item';
import { openLocalDatabase } from '../../src/sqlite/database';
import { SqliteWorkQueue } from '../../src/sqlite/work-queue';
import { captureOutput, tempDir } from '../app-guard/helpers';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const item: WorkItem = {
  kind: 'converge-user',
  userId: '00udlq0000000000001',
  triggers: [{ eventUuid: 'e1', eventType: 'user.lifecycle.activate' }],
  source: 'event-hook',
};

/** A data dir whose database holds one dead letter. */
function withOneDeadLetter(): string {
  const dataDir = join(tmp.dir, 'data');
  const db = openLocalDatabase(dataDir);
  const queue = new SqliteWorkQueue(db, { maxReceives: 1 });
  queue.enqueueNow([item]);
  queue.fail(queue.receive()!, 'HTTP 500');
  db.close();
  return dataDir;
}

const deadLetters = (dataDir: string): number => {
  const db = openLocalDatabase(dataDir);
  try {
    return new SqliteWorkQueue(db).deadLetters().length;
  } finally {
    db.close();
  }
};

describe('Command: dlq replay', () => {
  it('is a usage error with neither --all nor ids, naming both, and replays nothing', async () => {
    const dataDir = withOneDeadLetter();

    const { code, stdout, stderr } = await captureOutput(() =>
      dlqCommand(['replay'], { FRONTLINE_DATA_DIR: dataDir }),
    );

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('dlq replay takes --all or dead-letter ids');
    expect(deadLetters(dataDir)).toBe(1);
  });

  it('is a usage error with both --all and ids', async () => {
    const dataDir = withOneDeadLetter();

    const { code, stderr } = await captureOutput(() =>
      dlqCommand(['replay', '--all', 'some-id'], { FRONTLINE_DATA_DIR: dataDir }),
    );

    expect(code).toBe(1);
    expect(stderr).toContain('--all or dead-letter ids');
    expect(deadLetters(dataDir)).toBe(1);
  });

  it('says so under --json too, and before looking for a database', async () => {
    const dataDir = join(tmp.dir, 'none');

    const { code, stdout } = await captureOutput(() =>
      dlqCommand(['replay', '--json'], { FRONTLINE_DATA_DIR: dataDir }),
    );

    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({
      ok: false,
      error: { name: 'UsageError', message: expect.stringContaining('--all or dead-letter ids') },
    });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('replays every dead letter with --all', async () => {
    const dataDir = withOneDeadLetter();

    const { code } = await captureOutput(() =>
      dlqCommand(['replay', '--all'], { FRONTLINE_DATA_DIR: dataDir }),
    );

    expect(code).toBe(0);
    expect(deadLetters(dataDir)).toBe(0);
  });
});
