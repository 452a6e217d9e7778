import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { createOktaClient } from '../../src/okta/client';
import { createOktaDirectory, type OktaDirectory } from '../../src/okta/directory';
import type { Action } from '../../src/domain/desired-state';
import { applyActions, MASTERED_REASON } from '../../src/worker/apply-actions';
import {
  InMemoryUserTypeMemory,
  UserTypeMemoryError,
  type UserTypeMemory,
} from '../../src/domain/user-type-memory';

let emulator: RunningEmulator;
let directory: OktaDirectory;
let userTypes: InMemoryUserTypeMemory;

beforeAll(async () => {
  emulator = await startOktaEmulator({ seed: 'demo', rateLimits: false });
  directory = createOktaDirectory(
    createOktaClient({ orgUrl: emulator.url, credentials: { kind: 'ssws', token: emulator.token } }),
  );
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.control.reset();
  userTypes = new InMemoryUserTypeMemory();
});

/** The writes for one user, against the emulator, with this test's memory unless another is given. */
const apply = (userId: string, actions: Action[], memory: UserTypeMemory = userTypes) =>
  applyActions(directory, DEMO.appId, userId, actions, memory);

const userTypeOf = (userId: string) =>
  (emulator.state.getUser(userId)?.profile as { userType?: unknown } | undefined)?.userType;

describe('Function: applyActions (against the Okta emulator)', () => {
  it('stops at a role Okta refuses as mastered elsewhere (403 E0000023): reported as such, nothing assigned', async () => {
    const result = await apply(DEMO.users.mastered, [
      { type: 'set-user-type', userType: 'agent' },
      { type: 'assign', userName: 'mastered@example.com' },
    ]);

    expect(result).toEqual({
      applied: [],
      skipped: [],
      mastered: { action: { type: 'set-user-type', userType: 'agent' }, reason: MASTERED_REASON },
      notAttempted: [{ type: 'assign', userName: 'mastered@example.com' }],
    });
    expect(emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === DEMO.users.mastered)).toBe(false);
  });

  it('keeps no record of a role it could not overwrite (mastered elsewhere)', async () => {
    const result = await apply(DEMO.users.mastered, [
      { type: 'set-user-type', userType: 'agent', replaces: 'supervisor' },
    ]);

    expect(result.mastered?.reason).toBe(MASTERED_REASON);
    expect(userTypes.values.has(DEMO.users.mastered)).toBe(false);
  });

  it('assigns a mastered user whose userType needs no write', async () => {
    const result = await apply(DEMO.users.mastered, [{ type: 'assign', userName: 'mastered@example.com' }]);

    expect(result).toEqual({
      // Okta's own answer: the username it gave the assignment.
      applied: [{ type: 'assign', result: 'applied', userName: 'mastered@example.com' }],
      skipped: [],
      notAttempted: [],
    });
    expect(emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === DEMO.users.mastered)).toBe(true);
  });

  it('skips the role clear of a deactivated user (403 E0000038) but keeps the writes before it', async () => {
    await fetch(`${emulator.url}/api/v1/users/${DEMO.users.agent}/lifecycle/deactivate`, {
      method: 'POST',
      headers: { Authorization: `SSWS ${emulator.token}` },
    });

    const result = await apply(DEMO.users.agent, [{ type: 'unassign' }, { type: 'clear-user-type' }]);

    expect(result.failed).toBeUndefined();
    expect(result.applied).toEqual([{ type: 'unassign', result: 'already-unassigned' }]);
    expect(result.skipped).toEqual([
      {
        action: { type: 'clear-user-type' },
        code: 'deactivated-profile',
        reason: expect.stringContaining('E0000038'),
      },
    ]);
  });

  it('records the role a set-user-type replaces before the write, and a clear puts it back and forgets it', async () => {
    await directory.updateUserProfile(DEMO.users.newHire, { userType: 'manager' });

    const set = await apply(DEMO.users.newHire, [
      { type: 'set-user-type', userType: 'agent', replaces: 'manager' },
    ]);
    expect(set.applied).toEqual([{ type: 'set-user-type', result: 'applied' }]);
    expect(userTypeOf(DEMO.users.newHire)).toBe('agent');
    expect(userTypes.values.get(DEMO.users.newHire)).toBe('manager');

    const cleared = await apply(DEMO.users.newHire, [{ type: 'clear-user-type' }]);
    expect(cleared.applied).toEqual([{ type: 'clear-user-type', result: 'applied', restored: 'manager' }]);
    expect(userTypeOf(DEMO.users.newHire)).toBe('manager');
    expect(userTypes.values.has(DEMO.users.newHire)).toBe(false);
  });

  it('clears the role when nothing was replaced, and a later empty overwrite forgets an older recorded role', async () => {
    await userTypes.remember(DEMO.users.newHire, 'manager');
    await apply(DEMO.users.newHire, [{ type: 'set-user-type', userType: 'agent' }]);
    expect(userTypes.values.has(DEMO.users.newHire)).toBe(false);

    const cleared = await apply(DEMO.users.newHire, [{ type: 'clear-user-type' }]);
    expect(cleared.applied).toEqual([{ type: 'clear-user-type', result: 'applied' }]);
    expect(userTypeOf(DEMO.users.newHire)).toBeNull();
  });

  it('makes no write when the role it replaces cannot be recorded: the item fails, the old role stays in Okta', async () => {
    await directory.updateUserProfile(DEMO.users.newHire, { userType: 'manager' });
    const broken: UserTypeMemory = {
      remember: async () => {
        throw new UserTypeMemoryError('recording the userType failed: table unavailable');
      },
      recall: async () => undefined,
      forget: async () => undefined,
    };

    const result = await apply(
      DEMO.users.newHire,
      [
        { type: 'set-user-type', userType: 'agent', replaces: 'manager' },
        { type: 'assign', userName: 'new.hire@example.com' },
      ],
      broken,
    );

    expect(result.failed?.error).toBeInstanceOf(UserTypeMemoryError);
    expect(result.notAttempted).toEqual([{ type: 'assign', userName: 'new.hire@example.com' }]);
    expect(userTypeOf(DEMO.users.newHire)).toBe('manager');
  });

  it('keeps the recorded role when Okta refuses to put it back on a deactivated user (E0000038)', async () => {
    await userTypes.remember(DEMO.users.agent, 'manager');
    await fetch(`${emulator.url}/api/v1/users/${DEMO.users.agent}/lifecycle/deactivate`, {
      method: 'POST',
      headers: { Authorization: `SSWS ${emulator.token}` },
    });

    const result = await apply(DEMO.users.agent, [{ type: 'clear-user-type' }]);

    expect(result.skipped.map((w) => w.code)).toEqual(['deactivated-profile']);
    expect(userTypes.values.get(DEMO.users.agent)).toBe('manager');
  });
});
