import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { databasePath, openLocalDatabase } from '../../src/sqlite/database';
import { sqliteUserTypeMemory } from '../../src/sqlite/user-type-memory';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import type { ErrorDocument, ExplainDocument } from '../../src/cli/documents';
import { run as explainCommand } from '../../src/cli/explain';
import { resolvePolicy } from '../../src/domain/policy';
import { createOktaDirectory } from '../../src/okta/directory';
import { convergeUser } from '../../src/worker/converge';
import { observeSettingsOf } from '../../src/worker/observe';
import { captureOutput, clientFor, envFor, tempDir } from '../app-guard/helpers';
import { jsonOf, keysOf, sortedKeys } from './helpers';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

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

const envOf = () => envFor(emu, join(tmp.dir, 'state.json'));
const writes = () =>
  emu.control.requestLog().filter((e) => e.method !== 'GET' && !e.path.startsWith('/__emulator'));

const emailOf = (id: string) => String((emu.state.getUser(id)?.profile as { email?: unknown }).email);

async function explainWithText(user: string) {
  const { doc } = await jsonOf<ExplainDocument>(() => explainCommand([user, '--json'], envOf()));
  const { code, stdout } = await captureOutput(() => explainCommand([user], envOf()));
  return { code, doc, stdout };
}

describe('Command: explain', () => {
  it('prints an ExplainDocument for a suspended member: should be unassigned, the change is an unassign', async () => {
    const { code, doc } = await jsonOf<ExplainDocument>(() =>
      explainCommand([DEMO.users.suspended, '--json'], envOf()),
    );

    expect(code).toBe(0);
    expect(sortedKeys(doc)).toEqual(
      keysOf<ExplainDocument>()([
        'ok',
        'userId',
        'login',
        'has',
        'should',
        'changes',
        'why',
        'triggers',
        'skipped',
        'frontline',
      ]).filter((k) => k !== 'skipped'),
    );
    expect(sortedKeys(doc.has)).toEqual(
      keysOf<ExplainDocument['has']>()([
        'status',
        'userType',
        'inGroup',
        'appLink',
        'appUser',
        'recordedUserType',
      ]),
    );
    expect(doc).toMatchObject({
      userId: DEMO.users.suspended,
      has: { status: 'SUSPENDED', inGroup: true, appLink: true, appUser: { scope: 'USER' } },
      should: 'unassigned',
      changes: [{ type: 'unassign' }],
    });
    expect(doc.why).toContain('status SUSPENDED: must not have Frontline');
    // Okta would refuse this user's sign-in: Frontline would receive nothing.
    expect(doc.frontline.fails).toEqual([
      expect.stringMatching(/user is SUSPENDED: Okta refuses the sign-in/),
    ]);
  });

  it('says what Frontline would receive for the demo agent: NameID, email and roles, and that it would succeed', async () => {
    const { code, doc, stdout } = await explainWithText(DEMO.users.agent);

    expect(code).toBe(0);
    expect(doc.frontline).toEqual({
      nameId: emailOf(DEMO.users.agent),
      attributes: [
        { name: 'email', value: emailOf(DEMO.users.agent) },
        { name: 'roles', value: 'agent' },
      ],
      fails: [],
    });
    expect(stdout).toContain('sign-in: would succeed');
  });

  it('says why the sign-in of a member whose userType is manager would fail', async () => {
    const { doc } = await explainWithText(DEMO.users.wrongType);

    expect(doc.frontline.fails).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/not assigned/),
        expect.stringMatching(/"roles" is "manager"/),
      ]),
    );
  });

  it('finds a user by login and writes nothing', async () => {
    const before = writes().length;

    const { code, doc } = await jsonOf<ExplainDocument>(() =>
      explainCommand(['nina.newhire@example.com', '--json'], envOf()),
    );

    expect(code).toBe(0);
    expect(doc).toMatchObject({
      userId: DEMO.users.newHire,
      should: 'unassigned',
      changes: [],
      has: { appUser: null },
    });
    expect(writes().length).toBe(before);
  });

  it('gives the skipped reason for a STAGED member', async () => {
    const { doc } = await jsonOf<ExplainDocument>(() =>
      explainCommand([DEMO.users.staged, '--json'], envOf()),
    );

    expect(doc).toMatchObject({
      should: 'unchanged',
      changes: [],
      skipped: { code: 'staged-awaiting-activation' },
    });
  });

  it('says which role clearing the userType puts back, read from serve’s database, and creates none where there is none', async () => {
    const env: NodeJS.ProcessEnv = { ...envOf(), FRONTLINE_CLEAR_USERTYPE_ON_REMOVAL: 'true' };
    const dataDir = env.FRONTLINE_DATA_DIR!;
    const before = await jsonOf<ExplainDocument>(() => explainCommand([DEMO.users.suspended, '--json'], env));
    expect(before.doc.has.recordedUserType).toBeNull();
    expect(existsSync(databasePath(dataDir))).toBe(false);

    const db = openLocalDatabase(dataDir);
    await sqliteUserTypeMemory(db).remember(DEMO.users.suspended, 'manager');
    db.close();
    const { doc } = await jsonOf<ExplainDocument>(() =>
      explainCommand([DEMO.users.suspended, '--json'], env),
    );
    const { stdout } = await captureOutput(() => explainCommand([DEMO.users.suspended], env));

    expect(doc.has.recordedUserType).toBe('manager');
    expect(doc.changes.map((a) => a.type)).toContain('clear-user-type');
    expect(stdout).toContain('put userType back to "manager"');
    expect(doc.why).toContainEqual(
      expect.stringContaining('userType held "manager" before this tool set "agent"'),
    );
  });

  it('decides for the given trigger: a hand-made assignment stays unless the user left the group', async () => {
    // Assigned outside the group and never onboarded (no userType "agent"): an unmanaged assignment.
    await clientFor(emu).userApi.updateUser({
      userId: DEMO.users.strayAssignee,
      user: { profile: { userType: 'manager' } as never },
    });

    const alone = await jsonOf<ExplainDocument>(() =>
      explainCommand([DEMO.users.strayAssignee, '--json'], envOf()),
    );
    const left = await jsonOf<ExplainDocument>(() =>
      explainCommand(
        [DEMO.users.strayAssignee, '--event', 'group.user_membership.remove', '--json'],
        envOf(),
      ),
    );

    expect(alone.doc).toMatchObject({
      should: 'unchanged',
      changes: [],
      skipped: { code: 'unmanaged-assignment' },
    });
    expect(left.doc).toMatchObject({
      should: 'unassigned',
      changes: [{ type: 'unassign' }],
      triggers: ['group.user_membership.remove'],
    });
  });

  it.each(Object.entries(DEMO.users))(
    'says what the worker then does for the demo user %s',
    async (_name, userId) => {
      const { doc } = await jsonOf<ExplainDocument>(() => explainCommand([userId, '--json'], envOf()));

      const outcome = await convergeUser(
        {
          kind: 'converge-user',
          userId,
          triggers: [{ eventUuid: `explain-${userId}`, eventType: 'user.account.update_profile' }],
          source: 'operator',
        },
        {
          userTypes: new InMemoryUserTypeMemory(),
          directory: createOktaDirectory(clientFor(emu)),
          settings: observeSettingsOf(
            DEMO.appId,
            resolvePolicy({
              groupIds: [DEMO.groupId],
              pinnedUserNameTemplate: '${source.email}',
              clearUserTypeOnRemoval: false,
            }),
          ),
        },
      );

      const planned = doc.changes.map((c) => c.type);
      // A write Okta refuses (a profile mastered elsewhere) ends the convergence as skipped; it was still planned.
      expect(outcome.actions.map((a) => a.type)).toEqual(planned.slice(0, outcome.actions.length));
      if (outcome.outcome !== 'skipped' || doc.skipped)
        expect(outcome.actions.map((a) => a.type)).toEqual(planned);
      if (doc.skipped) expect(outcome.skipCode).toBe(doc.skipped.code);
    },
  );

  it('exits 1 for a user Okta does not have, and for an event type the receiver does not handle', async () => {
    const missing = await jsonOf<ErrorDocument>(() =>
      explainCommand(['nobody@example.com', '--json'], envOf()),
    );
    const badEvent = await captureOutput(() =>
      explainCommand([DEMO.users.agent, '--event', 'user.session.start'], envOf()),
    );

    expect(missing.code).toBe(1);
    expect(missing.doc.error).toEqual({
      name: 'ExplainError',
      message: expect.stringContaining('nobody@example.com'),
    });
    expect(badEvent.code).toBe(1);
    expect(badEvent.stderr).toContain('user.session.start');
  });
});
