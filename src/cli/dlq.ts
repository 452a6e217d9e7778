import { existsSync } from 'node:fs';
import { loadDataDir } from '../config/env';
import { SqliteWorkQueue, type DeadLetter } from '../sqlite/work-queue';
import { databasePath, openLocalDatabase } from '../sqlite/database';
import { EXIT, UsageError, parseCommandArgs, runCommand, table } from './output';

const HELP = `Usage: npm run cli -- dlq list [--json]
       npm run cli -- dlq replay (--all | <id>…) [--json]
       npm run cli -- dlq purge --yes [--json]

The work items serve gave up on (after WORK_MAX_RECEIVES attempts), in FRONTLINE_DATA_DIR (default .frontline/).
Works while serve runs (the database is shared) and while it is stopped.
  list     user id, triggers, attempts, last error and when, per dead letter
  replay   put them back on the queue with fresh attempts (serve picks them up within a second)
  purge    delete them all (needs --yes)`;

export const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const json = args.includes('--json');
  return runCommand(json, async (out) => {
    const { values, positionals } = parseCommandArgs(
      args,
      { all: { type: 'boolean' }, yes: { type: 'boolean' } },
      true,
    );
    const [action, ...ids] = positionals;
    if (values.help || !action) {
      out.line(HELP);
      return values.help ? EXIT.ok : EXIT.error;
    }
    // Checked before anything is opened: a bare `dlq replay` is a mistake, not a request to replay nothing.
    if (action === 'replay' && Boolean(values.all) === ids.length > 0)
      throw new UsageError('dlq replay takes --all or dead-letter ids (dlq list shows them)');
    const dataDir = loadDataDir(env);
    if (!existsSync(databasePath(dataDir))) {
      // Nothing to open means nothing was ever dead-lettered here; don't create a database as a side effect.
      if (action !== 'list') throw new UsageError(`no database at ${databasePath(dataDir)}`);
      out.result({ ok: true, deadLetters: [] });
      out.line(`No dead letters (no database at ${databasePath(dataDir)}).`);
      return EXIT.ok;
    }
    const db = openLocalDatabase(dataDir);
    try {
      const queue = new SqliteWorkQueue(db);
      if (action === 'list') {
        const letters = queue.deadLetters();
        out.result({ ok: true, deadLetters: letters.map(toJson) });
        if (letters.length === 0) out.line('No dead letters.');
        else {
          out.line(
            table(
              ['id', 'user', 'triggers', 'attempts', 'last error', 'dead since'],
              letters.map((l) => [
                l.messageId,
                l.item.userId,
                l.item.triggers.map((t) => `${t.eventType} ${t.eventUuid}`).join('; '),
                String(l.attempts),
                l.lastError,
                new Date(l.deadAt).toISOString(),
              ]),
              70,
            ),
          );
          out.line(`\n${letters.length} dead letter(s). Replay: npm run cli -- dlq replay --all`);
        }
        return EXIT.ok;
      }
      if (action === 'replay') {
        const result = queue.replay(values.all ? undefined : ids);
        out.result({ ok: result.unknown.length === 0, ...result });
        out.line(`Replayed ${result.replayed.length} dead letter(s) onto the queue.`);
        if (result.unknown.length > 0) out.error(`Not dead letters: ${result.unknown.join(', ')}`);
        return result.unknown.length === 0 ? EXIT.ok : EXIT.error;
      }
      if (action === 'purge') {
        if (!values.yes) throw new UsageError('dlq purge deletes every dead letter; add --yes to confirm');
        const purged = queue.purgeDeadLetters();
        out.result({ ok: true, purged });
        out.line(`Purged ${purged} dead letter(s).`);
        return EXIT.ok;
      }
      throw new UsageError(`unknown dlq action "${action}"; use list, replay or purge`);
    } finally {
      db.close();
    }
  });
};

function toJson(letter: DeadLetter) {
  return {
    id: letter.messageId,
    userId: letter.item.userId,
    triggers: letter.item.triggers,
    attempts: letter.attempts,
    lastError: letter.lastError,
    deadAt: new Date(letter.deadAt).toISOString(),
    enqueuedAt: new Date(letter.enqueuedAt).toISOString(),
  };
}
