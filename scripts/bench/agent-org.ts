import { DEMO, frontlineSamlApp, type SeedData } from '../../emulator/okta';

/**
 * An org of `n` agents already onboarded: each `userType` agent and assigned to the Frontline app `appId`; with
 * `groupId`, all members of that group too (the reconcile benchmarks' steady state, the install-day record's org).
 */
export function onboardedAgents(n: number, appId: string, groupId?: string): SeedData {
  const ids = Array.from({ length: n }, (_, i) => `00u${String(i).padStart(17, '0')}`);
  return {
    users: ids.map((id, i) => ({
      id,
      profile: {
        login: `agent${i}@example.com`,
        email: `agent${i}@example.com`,
        firstName: 'Agent',
        lastName: String(i),
        userType: 'agent',
      },
    })),
    ...(groupId
      ? { groups: [{ id: groupId, name: 'Frontline agents' }], memberships: { [groupId]: ids } }
      : {}),
    apps: [frontlineSamlApp({ id: appId, realmSid: DEMO.realmSid, kid: 'bench-kid' })],
    appUsers: ids.map((userId) => ({ appId, userId })),
  };
}
