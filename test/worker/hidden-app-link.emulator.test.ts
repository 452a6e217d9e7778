import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { resolvePolicy } from '../../src/domain/policy';
import { appLinksShowAssignment } from '../../src/okta/app-link-visibility';
import type { createOktaClient } from '../../src/okta/client';
import { createOktaDirectory, type OktaDirectory } from '../../src/okta/directory';
import { convergeUser } from '../../src/worker/converge';
import { observeSettingsOf } from '../../src/worker/observe';
import { useDemoDirectory, workItem } from './factories';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let emulator: RunningEmulator;
let client: ReturnType<typeof createOktaClient>;
useDemoDirectory((org) => ({ emulator, client } = org));

const settings = observeSettingsOf(DEMO.appId, resolvePolicy({ groupIds: [DEMO.groupId] }));
const LINK = 'emulator_twiliofrontline_1_link';

/** The Frontline app's dashboard link turned off, as an admin may ("Do not display application icon to users"). */
function hideLink(): void {
  const app = emulator.state.raw.apps.get(DEMO.appId)!;
  (app.json.visibility as Json).appLinks = { [LINK]: false };
}
const appCalls = () =>
  emulator.control
    .requestLog()
    .filter((r) => r.bucket === 'apps')
    .map((r) => `${r.method} ${r.path.replace(`/api/v1/apps/${DEMO.appId}`, '')}`);

/*
 * The appLinks list an app's links (Apps API, `visibility.appLinks`: links "that appear on the End-User Dashboard
 * if they're set to true"): with the link off, an assigned user has none (the emulator models it), and the worker
 * must not read that as "not assigned".
 */
describe('Function: convergeUser when the app hides its link', () => {
  let directory: OktaDirectory;
  beforeEach(async () => {
    await emulator.control.reset();
    directory = createOktaDirectory(client); // a fresh visibility cache per test
  });

  it('reads the assignment instead of assigning again an agent who holds the app', async () => {
    hideLink();
    emulator.control.clearRequestLog();
    const outcome = await convergeUser(workItem(DEMO.users.agent, 'user.account.update_profile'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });
    expect(outcome).toMatchObject({ outcome: 'no-change', actions: [], appsBucketCalls: 1 });
    expect(appCalls()).toEqual([`GET /users/${DEMO.users.agent}`]);
  });

  it('still unassigns a leaver whose link it cannot see, on a trigger that is not a removal', async () => {
    hideLink();
    const outcome = await convergeUser(workItem(DEMO.users.strayAssignee, 'user.account.update_profile'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });
    expect(outcome.actions.map((a) => a.type)).toEqual(['unassign']);
    expect(emulator.state.listAppUsers(DEMO.appId).map((u) => u.id)).not.toContain(DEMO.users.strayAssignee);
  });

  it('assigns a joiner the read finds unassigned', async () => {
    hideLink();
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    emulator.control.clearRequestLog();
    const outcome = await convergeUser(workItem(DEMO.users.newHire, 'group.user_membership.add'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });
    expect(outcome.actions.map((a) => a.type)).toEqual(['set-user-type', 'assign']);
    expect(appCalls()).toEqual([`GET /users/${DEMO.users.newHire}`, 'POST /users']);
  });

  it('reads nothing more while the link is shown', async () => {
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    emulator.control.clearRequestLog();
    await convergeUser(workItem(DEMO.users.newHire, 'group.user_membership.add'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });
    expect(appCalls()).toEqual(['POST /users']);
  });
});

describe('Function: appLinksShowAssignment', () => {
  it('takes an app with a link on, or no link map, as showing its assignments', () => {
    expect(appLinksShowAssignment({ visibility: { appLinks: { [LINK]: true } } })).toBe(true);
    expect(appLinksShowAssignment({ visibility: {} })).toBe(true);
    expect(appLinksShowAssignment({})).toBe(true);
  });

  it('takes every link off, or hidden from the web dashboard, as not showing them', () => {
    expect(appLinksShowAssignment({ visibility: { appLinks: { [LINK]: false } } })).toBe(false);
    expect(appLinksShowAssignment({ visibility: { hide: { web: true }, appLinks: { [LINK]: true } } })).toBe(
      false,
    );
  });
});
