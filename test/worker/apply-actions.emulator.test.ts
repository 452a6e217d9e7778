import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { createOktaClient } from '../../src/okta/client';
import { createOktaDirectory, type OktaDirectory } from '../../src/okta/directory';
import { applyActions, MASTERED_REASON } from '../../src/worker/apply-actions';

let emulator: RunningEmulator;
let directory: OktaDirectory;

beforeAll(async () => {
  emulator = await startOktaEmulator({ seed: 'demo', rateLimits: false });
  directory = createOktaDirectory(
    createOktaClient({ orgUrl: emulator.url, credentials: { kind: 'ssws', token: emulator.token } }),
  );
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.control.reset());

describe('Function: applyActions (against the Okta emulator)', () => {
  it('stops at a role Okta refuses as mastered elsewhere (403 E0000023): reported as such, nothing assigned', async () => {
    const result = await applyActions(directory, DEMO.appId, DEMO.users.mastered, [
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

  it('assigns a mastered user whose userType needs no write', async () => {
    const result = await applyActions(directory, DEMO.appId, DEMO.users.mastered, [
      { type: 'assign', userName: 'mastered@example.com' },
    ]);

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

    const result = await applyActions(directory, DEMO.appId, DEMO.users.agent, [
      { type: 'unassign' },
      { type: 'clear-user-type' },
    ]);

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
});
