import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { run as checkCommand } from '../../src/cli/check';
import type {
  CheckDocument,
  ErrorDocument,
  HookDocument,
  ReconcileDocument,
  RepairDocument,
  SetupDocument,
} from '../../src/cli/documents';
import { run as hookCommand } from '../../src/cli/hook';
import { run as reconcileCommand } from '../../src/cli/reconcile';
import { run as repairCommand } from '../../src/cli/repair';
import { run as setupCommand } from '../../src/cli/setup';
import { openLocalDatabase } from '../../src/sqlite/database';
import { adminCall, captureOutput, envFor, tempDir, useEmulatorOrg } from '../app-guard/helpers';

/**
 * The key list of a document type, checked by the compiler to name every key of T and no other: a field added to
 * a document type fails to compile here until the pinned shape below says where it appears.
 */
function keysOf<T>() {
  return <const K extends readonly (keyof T)[]>(
    keys: K & ([keyof T] extends [K[number]] ? unknown : never),
  ) => [...keys].sort();
}

const sortedKeys = (value: unknown) => Object.keys(value as object).sort();

let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;
useEmulatorOrg({ seed: 'demo', resetEachTest: false }, (started, dir) => {
  emu = started;
  tmp = dir;
});

async function json(run: () => Promise<number>): Promise<{ code: number; doc: Record<string, unknown> }> {
  const { code, stdout } = await captureOutput(run);
  return { code, doc: JSON.parse(stdout) as Record<string, unknown> };
}

describe('Documents: the CLI --json output', () => {
  it('check prints a CheckDocument', async () => {
    // serve's database exists, so check records the certificate as the baseline (`baseline` is set).
    openLocalDatabase(`${join(tmp.dir, 'check.json')}.data`).close();
    const { code, doc } = await json(() =>
      checkCommand(['--json'], envFor(emu, join(tmp.dir, 'check.json'))),
    );
    expect(code).toBe(0);
    const all = keysOf<CheckDocument>()([
      'ok',
      'appId',
      'findings',
      'certificate',
      'baseline',
      'identity',
      'identities',
      'scopeGuard',
      'groupAssignments',
    ]);
    expect(sortedKeys(doc)).toEqual(all);
    // The groups' assignments to the app are group mode's: empty in user mode.
    expect(doc.groupAssignments).toEqual([]);
    expect(doc.scopeGuard).toEqual({ mode: 'user', findings: [] });
    expect(doc).toMatchObject({ ok: true, appId: DEMO.appId, baseline: 'recorded' });
    expect(sortedKeys(doc.certificate)).toEqual(
      keysOf<NonNullable<CheckDocument['certificate']>>()([
        'kid',
        'fingerprintSha256',
        'expiresAt',
        'daysToExpiry',
        'confirmed',
      ]),
    );
  });

  it('repair prints a RepairDocument', async () => {
    const { doc } = await json(() => repairCommand(['--json'], envFor(emu, join(tmp.dir, 'repair.json'))));
    expect(sortedKeys(doc)).toEqual(
      keysOf<RepairDocument>()([
        'appId',
        'before',
        'after',
        'notKept',
        'changed',
        'activated',
        'ok',
        'groupsAssignedAgain',
      ]),
    );
  });

  it('setup prints a SetupDocument', async () => {
    const { code, doc } = await json(() =>
      setupCommand(['--json'], envFor(emu, join(tmp.dir, 'setup.json'))),
    );
    expect(code).toBe(0);
    const all = keysOf<SetupDocument>()(['ok', 'appId', 'action', 'repair', 'console', 'groupAssignments']);
    expect(sortedKeys(doc)).toEqual(all);
    // The groups' assignments to the app are group mode's: empty in user mode.
    expect(doc).toMatchObject({ ok: true, appId: DEMO.appId, action: 'adopted', groupAssignments: [] });
  });

  it('setup in group mode assigns the Frontline group to the app, then finds it assigned', async () => {
    const env = { ...envFor(emu, join(tmp.dir, 'setup-group.json')), FRONTLINE_ASSIGNMENT_MODE: 'group' };
    const first = await json(() => setupCommand(['--json'], env));
    expect(first.code).toBe(0);
    expect(first.doc).toMatchObject({ groupAssignments: [{ groupId: DEMO.groupId, action: 'assigned' }] });
    expect(emu.state.raw.appGroups.get(DEMO.appId)?.has(DEMO.groupId)).toBe(true);
    const again = await json(() => setupCommand(['--json'], env));
    expect(again.doc).toMatchObject({
      groupAssignments: [{ groupId: DEMO.groupId, action: 'already-assigned' }],
    });
    await emu.control.reset();
  });

  it('reconcile prints a ReconcileDocument, with the result once applied', async () => {
    const env = envFor(emu, join(tmp.dir, 'reconcile.json'));
    const dry = await json(() => reconcileCommand(['--dry-run', '--json'], env));
    expect(sortedKeys(dry.doc)).toEqual([
      'appId',
      'dryRun',
      'groupAssignments',
      'identity',
      'ok',
      'plan',
      'scopeGuard',
    ]);
    // The groups' assignments to the app are group mode's: empty in user mode.
    expect(dry.doc.groupAssignments).toEqual([]);
    const applied = await json(() => reconcileCommand(['--json', '--fix-usernames'], env));
    const all = keysOf<ReconcileDocument>()([
      'ok',
      'dryRun',
      'appId',
      'plan',
      'scopeGuard',
      'groupAssignments',
      'result',
      'identity',
      'fixedUserNames',
    ]);
    expect(sortedKeys(applied.doc)).toEqual(all);
    expect(applied.doc.groupAssignments).toEqual([]);
    expect(sortedKeys(applied.doc.result)).toEqual(
      keysOf<NonNullable<ReconcileDocument['result']>>()(['applied', 'skipped', 'failed']),
    );
  });

  it('reconcile --dry-run in group mode says it would assign the group and lists members’ individual assignments', async () => {
    await emu.control.reset();
    const env = { ...envFor(emu, join(tmp.dir, 'reconcile-group.json')), FRONTLINE_ASSIGNMENT_MODE: 'group' };
    const members = new Set(emu.state.listGroupMemberIds(DEMO.groupId));
    const individual = emu.state
      .listAppUsers(DEMO.appId)
      .filter((u) => u.scope === 'USER' && members.has(u.id))
      .map((u) => u.id)
      .sort();
    expect(individual.length).toBeGreaterThan(0);

    const dry = await json(() => reconcileCommand(['--dry-run', '--json'], env));

    expect(dry.doc).toMatchObject({ groupAssignments: [{ groupId: DEMO.groupId, action: 'would-assign' }] });
    const scope = dry.doc.scopeGuard as { mode: string; findings: { userId: string; scope: string }[] };
    expect(scope.mode).toBe('group');
    expect(scope.findings.map((f) => f.userId).sort()).toEqual(individual);
    expect((dry.doc.plan as { assign: unknown[] }).assign).toEqual([]);
    expect(emu.state.raw.appGroups.get(DEMO.appId)?.has(DEMO.groupId) ?? false).toBe(false);
  });

  it('reconcile --dry-run in user mode lists group-held access of a user outside the Frontline group', async () => {
    await emu.control.reset();
    const okta = (method: string, path: string, body?: unknown) => adminCall(emu, method, path, body);
    const other = await okta('POST', '/api/v1/groups', { profile: { name: 'Frontline pilot' } });
    await okta('PUT', `/api/v1/groups/${other?.id}/users/${DEMO.users.newHire}`);
    await okta('PUT', `/api/v1/apps/${DEMO.appId}/groups/${other?.id}`, {});
    const env = envFor(emu, join(tmp.dir, 'reconcile-user-scope.json'));

    const dry = await json(() => reconcileCommand(['--dry-run', '--json'], env));

    const scope = dry.doc.scopeGuard as { mode: string; findings: { userId: string; scope: string }[] };
    expect(scope.mode).toBe('user');
    expect(scope.findings).toEqual([expect.objectContaining({ userId: DEMO.users.newHire, scope: 'GROUP' })]);
    await emu.control.reset();
  });

  it('hook register prints a HookDocument', async () => {
    const secret = 'hook-secret-for-documents-0123456789';
    const server = createServer((req, res) => {
      const challenge = req.headers['x-okta-verification-challenge'];
      if (typeof challenge === 'string' && req.headers.authorization === secret) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ verification: challenge }));
      } else res.writeHead(401).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/event-hook`;
    try {
      const { code, doc } = await json(() =>
        hookCommand(['register', '--url', url, '--json'], {
          OKTA_ORG_URL: emu.url,
          OKTA_API_TOKEN: emu.token,
          OKTA_HOOK_SECRET: secret,
        }),
      );
      expect(code).toBe(0);
      expect(sortedKeys(doc)).toEqual(
        keysOf<HookDocument>()([
          'ok',
          'action',
          'hookId',
          'status',
          'verificationStatus',
          'url',
          'eventTypes',
        ]),
      );
      expect(JSON.stringify(doc)).not.toContain(secret);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a failing command prints an ErrorDocument', async () => {
    const { code, doc } = await json(() => checkCommand(['--json'], { OKTA_ORG_URL: emu.url }));
    expect(code).toBe(1);
    expect(sortedKeys(doc)).toEqual(keysOf<ErrorDocument>()(['ok', 'error']));
    expect(sortedKeys(doc.error)).toEqual(['message', 'name']);
  });
});
