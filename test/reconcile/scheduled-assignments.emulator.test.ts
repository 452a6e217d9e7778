import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { desiredAppConfig } from '../../src/domain/app-config';
import { resolvePolicy, type PolicyInput } from '../../src/domain/policy';
import { runScheduled, type ScheduledRunConfig } from '../../src/reconcile/scheduled';
import { startBackstop } from '../../src/local/backstop';
import { staticFingerprintStore } from '../../src/app-guard/fingerprint-store';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { RECONCILE_METRICS } from '../../src/telemetry';
import { MemoryQueue, RecordingMetrics, clientFor, adminCall } from '../app-guard/helpers';

function config(policy: Omit<PolicyInput, 'groupIds'> = {}): ScheduledRunConfig {
  return {
    appId: DEMO.appId,
    policy: resolvePolicy({ groupIds: [DEMO.groupId], pinnedUserNameTemplate: '${source.email}', ...policy }),
    app: { rules: desiredAppConfig(DEMO.realmSid), mode: 'report', lastConfirmedFingerprint: undefined },
  };
}

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startOktaEmulator({ seed: 'demo', rateLimits: false });
});
afterAll(() => emu.stop());
beforeEach(() => emu.control.reset('demo'));

const okta = (method: string, path: string, body?: unknown) => adminCall(emu, method, path, body);

const groupWrites = () =>
  emu.control
    .requestLog()
    .filter((r) => r.method === 'PUT' && r.path.includes(`/apps/${DEMO.appId}/groups/`));
const members = () => new Set(emu.state.listGroupMemberIds(DEMO.groupId));

describe('Function: runScheduled, the assignments', () => {
  it('in group mode assigns the group to the app once, and counts the members’ individual assignments as scope findings', async () => {
    const metrics = new RecordingMetrics();
    const first = await runScheduled(
      { okta: createGuardDirectory(clientFor(emu)), queue: new MemoryQueue(), metrics },
      config({ assignmentMode: 'group' }),
    );
    expect(first.groupAssignments).toEqual([{ groupId: DEMO.groupId, action: 'assigned' }]);
    expect(groupWrites()).toHaveLength(1);
    // The seed's members were assigned one by one (user mode): each now outlives its membership.
    const individual = emu.state
      .listAppUsers(DEMO.appId)
      .filter((u) => u.scope === 'USER' && members().has(u.id))
      .map((u) => u.id)
      .sort();
    expect(individual.length).toBeGreaterThan(0);
    expect(
      first.scope.findings
        .filter((f) => f.kind === 'individual-outlives-membership')
        .map((f) => f.userId)
        .sort(),
    ).toEqual(individual);
    expect(metrics.values.get(RECONCILE_METRICS.scopeFindings)).toBe(first.scope.findings.length);
    // No individual assignment is made in group mode: nothing planned to assign.
    expect(first.plan.assign).toEqual([]);

    emu.control.clearRequestLog();
    const second = await runScheduled(
      {
        okta: createGuardDirectory(clientFor(emu)),
        queue: new MemoryQueue(),
        metrics: new RecordingMetrics(),
      },
      config({ assignmentMode: 'group' }),
    );
    expect(second.groupAssignments).toEqual([{ groupId: DEMO.groupId, action: 'already-assigned' }]);
    expect(groupWrites()).toEqual([]);
  });

  it('in group mode does not assign the group when the plan’s guard tripped (most likely a wrong group)', async () => {
    for (const id of emu.state.listGroupMemberIds(DEMO.groupId)) {
      await okta('DELETE', `/api/v1/groups/${DEMO.groupId}/users/${id}`);
    }
    emu.control.clearRequestLog();

    const summary = await runScheduled(
      {
        okta: createGuardDirectory(clientFor(emu)),
        queue: new MemoryQueue(),
        metrics: new RecordingMetrics(),
      },
      config({ assignmentMode: 'group' }),
    );

    expect(summary.plan.guard.tripped).toBe(true);
    // Only read: the group stays unassigned.
    expect(summary.groupAssignments).toEqual([{ groupId: DEMO.groupId, action: 'would-assign' }]);
    expect(groupWrites()).toEqual([]);
    expect(summary.enqueued).toBe(0);
  });

  it('in user mode never assigns the group, and reports group-held access of a non-member', async () => {
    const other = await okta('POST', '/api/v1/groups', { profile: { name: 'Frontline pilot' } });
    await okta('PUT', `/api/v1/groups/${other?.id}/users/${DEMO.users.newHire}`);
    await okta('PUT', `/api/v1/apps/${DEMO.appId}/groups/${other?.id}`, {});
    emu.control.clearRequestLog();
    const metrics = new RecordingMetrics();

    const summary = await runScheduled(
      { okta: createGuardDirectory(clientFor(emu)), queue: new MemoryQueue(), metrics },
      config(),
    );

    expect(summary.groupAssignments).toEqual([]);
    expect(groupWrites()).toEqual([]);
    expect(summary.scope).toEqual({
      mode: 'user',
      findings: [expect.objectContaining({ userId: DEMO.users.newHire, kind: 'group-held-not-entitled' })],
    });
    expect(metrics.values.get(RECONCILE_METRICS.scopeFindings)).toBe(1);
  });
});

describe('Function: startBackstop, the assignments', () => {
  it('assigns the group in group mode without a Realm SID, and logs the scope guard’s findings', async () => {
    const logs: { level: string; message: string; extra: Record<string, unknown> }[] = [];
    const record = (level: string) => (message: string, extra: Record<string, unknown>) =>
      logs.push({ level, message, extra });
    const backstop = startBackstop({
      client: clientFor(emu),
      queue: new MemoryQueue(),
      settings: {
        appId: DEMO.appId,
        realmSid: undefined,
        appLabel: undefined,
        reconcileIntervalSeconds: 0,
        policy: resolvePolicy({
          groupIds: [DEMO.groupId],
          pinnedUserNameTemplate: '${source.email}',
          pruneUnmanaged: false,
          suspendedPolicy: 'remove',
          assignmentMode: 'group',
        }),
      },
      fingerprints: staticFingerprintStore(undefined),
      logger: { info: record('info'), warn: record('warn'), error: record('error') },
    });

    await backstop.runOnce();
    backstop.stop();

    expect(emu.state.raw.appGroups.get(DEMO.appId)?.has(DEMO.groupId)).toBe(true);
    expect(logs.map((l) => l.message)).toContain(
      'backstop assigned the Frontline group to the app (group mode)',
    );
    const scope = logs.find((l) => l.message.startsWith('backstop scope guard'));
    expect(scope?.level).toBe('warn');
    expect(scope?.extra.mode).toBe('group');
  });
});
