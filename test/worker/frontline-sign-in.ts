import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { DEFAULT_FRONTLINE_AUTH_TOKEN, type RunningFrontlineEmulator } from '../../emulator/frontline';
import type { IdentityStore } from '../../src/domain/identity-record';
import type { Policy } from '../../src/domain/policy';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';
import { staticDirectoryProvider } from '../../src/okta/credentials';
import { createOktaDirectory } from '../../src/okta/directory';
import { createFetchFrontlineUsers } from '../../src/twilio/fetch-users';
import { createFrontlineStep } from '../../src/worker/frontline-step';
import { createWorker, type Worker } from '../../src/worker/worker';
import { consoleValues } from '../../src/app-guard/setup';
import { createOktaClient } from '../../src/okta/client';
import { createGuardDirectory } from '../../src/okta/guard-directory';

/*
 * Frontline users made the way Twilio makes them: the admin pastes the app's sign-in values into Frontline's
 * console, then each agent signs in through Okta (IdP-initiated), whose SAML Response Frontline consumes and, at the
 * first sign-in, creates the user under the NameID (bin/start.ts does the same).
 */

export async function pasteConsoleValues(
  okta: RunningEmulator,
  frontline: RunningFrontlineEmulator,
  appId = DEMO.appId,
): Promise<void> {
  const client = createOktaClient({ orgUrl: okta.url, credentials: { kind: 'ssws', token: okta.token } });
  const values = await consoleValues(createGuardDirectory(client), appId, new Date());
  frontline.control.configureSso(DEMO.realmSid, {
    issuer: values.idpIssuer,
    ssoUrl: values.idpSsoUrl,
    certificate: values.certificatePem,
  });
}

/** The agent signs in to Frontline through Okta; resolves to the Frontline identity (the NameID) it made or found. */
export async function signInThroughOkta(
  okta: RunningEmulator,
  frontline: RunningFrontlineEmulator,
  userId: string,
  appId = DEMO.appId,
): Promise<string> {
  const issued = await okta.control.issueSamlResponse(appId, userId);
  const result = await frontline.control.consume(DEMO.realmSid, issued.samlResponse, issued.relayState);
  if (!result.ok) throw new Error(`Frontline refused ${userId}: ${result.body.code} ${result.body.reason}`);
  return result.body.user.identity;
}

/**
 * The worker as serve builds it, with its Frontline step against the Frontline emulator, for the demo app and the
 * given policy; `identities` is the suite's store, so a test can look in it.
 */
export function frontlineWorker(deps: {
  okta: RunningEmulator;
  frontline: RunningFrontlineEmulator;
  identities: IdentityStore;
  policy: Policy;
}): Worker {
  const { frontline, identities, policy } = deps;
  const users = createFetchFrontlineUsers({
    apiUrl: frontline.url,
    credentials: {
      kind: 'auth-token',
      accountSid: frontline.accountSid,
      authToken: DEFAULT_FRONTLINE_AUTH_TOKEN,
    },
  });
  const client = createOktaClient({
    orgUrl: deps.okta.url,
    credentials: { kind: 'ssws', token: deps.okta.token },
  });
  return createWorker({
    userTypes: new InMemoryUserTypeMemory(),
    directory: staticDirectoryProvider(createOktaDirectory(client)),
    settings: { appId: DEMO.appId, policy },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    frontline: createFrontlineStep({ users: async () => users, identities, appId: DEMO.appId, policy }),
  });
}
