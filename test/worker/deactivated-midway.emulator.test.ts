import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { resolvePolicy } from '../../src/domain/policy';
import type { WorkItem } from '../../src/domain/work-item';
import type { createOktaClient } from '../../src/okta/client';
import { staticDirectoryProvider } from '../../src/okta/credentials';
import type { OktaDirectory } from '../../src/okta/directory';
import { OktaPermanentError } from '../../src/okta/errors';
import { DEACTIVATED_MIDWAY, DEACTIVATED_MIDWAY_REASON } from '../../src/worker/deactivated-midway';
import { createWorker } from '../../src/worker/worker';
import { useDemoDirectory, workItem } from './factories';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

let emulator: RunningEmulator;
let client: ReturnType<typeof createOktaClient>;
let directory: OktaDirectory;
useDemoDirectory((org) => ({ emulator, client, directory } = org));
beforeEach(() => emulator.control.reset());

const lines: { level: string; extra: Record<string, unknown> }[] = [];
const logger = {
  info: (_m: string, extra: Record<string, unknown>) => lines.push({ level: 'info', extra }),
  warn: (_m: string, extra: Record<string, unknown>) => lines.push({ level: 'warn', extra }),
  error: (_m: string, extra: Record<string, unknown>) => lines.push({ level: 'error', extra }),
};

/** The real directory, with something happening in Okta just before the assign goes out. */
function directoryWith(beforeAssign: () => Promise<void>): OktaDirectory {
  return {
    ...directory,
    assignUser: async (appId, userId, userName) => {
      await beforeAssign();
      return directory.assignUser(appId, userId, userName);
    },
  };
}

const workerOn = (dir: OktaDirectory) =>
  createWorker({
    userTypes: new InMemoryUserTypeMemory(),
    directory: staticDirectoryProvider(dir),
    settings: { appId: DEMO.appId, policy: resolvePolicy({ groupIds: [DEMO.groupId] }) },
    logger,
  });

const joiner = (): WorkItem => workItem(DEMO.users.newHire, 'group.user_membership.add');

describe('Function: processWorkItem when the user is deactivated mid-convergence', () => {
  beforeEach(async () => {
    lines.length = 0;
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
  });

  // support.okta.com, "Can an Application Be Assigned to a Deactivated User": Okta refuses; the emulator answers it
  // (403 E0000038), and the worker skips with the reason instead of failing towards a dead letter.
  it('skips with the reason, throws nothing (so the queue acknowledges it) and leaves no assignment', async () => {
    const worker = workerOn(
      directoryWith(() =>
        client.userApi.deactivateUser({ userId: DEMO.users.newHire }).then(() => undefined),
      ),
    );
    const outcome = await worker.processWorkItem(joiner());
    expect(outcome).toMatchObject({
      outcome: 'skipped',
      skipCode: DEACTIVATED_MIDWAY,
      reason: DEACTIVATED_MIDWAY_REASON,
      actions: [{ type: 'set-user-type', result: 'applied' }],
    });
    expect(emulator.state.listAppUsers(DEMO.appId).map((u) => u.id)).not.toContain(DEMO.users.newHire);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(lines.at(-1)!.extra).toMatchObject({ outcome: 'skipped', skipCode: DEACTIVATED_MIDWAY });
    // The refused assign, then one read of the user to tell why.
    const afterAssign = emulator.control
      .requestLog()
      .slice(-2)
      .map((r) => `${r.method} ${r.status}`);
    expect(afterAssign).toEqual(['POST 403', 'GET 200']);
  });

  it('still fails a refused assign when the user is active (a refusal about something else)', async () => {
    const worker = workerOn({
      ...directory,
      assignUser: async () => {
        throw new OktaPermanentError('assign: E0000006 You do not have permission', 'forbidden', {
          status: 403,
          errorCode: 'E0000006',
        });
      },
    });
    await expect(worker.processWorkItem(joiner())).rejects.toThrow('E0000006');
  });
});
