import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { createOktaClient } from '../../src/okta/client';
import { OktaPermanentError, OktaTransientError } from '../../src/okta/errors';
import {
  deleteFederatedClaim,
  listFederatedClaims,
  replaceFederatedClaim,
} from '../../src/okta/federated-claims';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy';

/*
 * The federated-claims adapter against the Okta emulator, and behind a proxy that answers in Okta's place: an org
 * that does not serve the API at all has no claims, while a missing app or an answer that is not Okta's fails.
 */

const CLAIMS = `/api/v1/apps/${DEMO.appId}/federated-claims`;
const oktaError = (errorCode: string, errorSummary: string) =>
  JSON.stringify({ errorCode, errorSummary, errorLink: errorCode, errorId: 'oae1', errorCauses: [] });

let emulator: RunningEmulator;
let proxy: FaultProxy;
let client: ReturnType<typeof createOktaClient>;

beforeAll(async () => {
  emulator = await startOktaEmulator({ seed: 'demo', rateLimits: false });
  proxy = await startFaultProxy(emulator.url);
  client = createOktaClient({ orgUrl: proxy.url, credentials: { kind: 'ssws', token: emulator.token } });
});
afterAll(async () => {
  await proxy.close();
  await emulator.stop();
});
beforeEach(async () => {
  proxy.clear();
  await emulator.control.reset('demo');
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('Function: listFederatedClaims, replaceFederatedClaim, deleteFederatedClaim', () => {
  it('lists, replaces and deletes the app’s claims through the Apps API', async () => {
    const res = await fetch(`${emulator.url}${CLAIMS}`, {
      method: 'POST',
      headers: { authorization: `SSWS ${emulator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'roles', expression: 'user.profile.title' }),
    });
    const { id } = (await res.json()) as { id: string };
    expect(await listFederatedClaims(client, DEMO.appId)).toEqual([
      { id, name: 'roles', expression: 'user.profile.title' },
    ]);
    await replaceFederatedClaim(client, DEMO.appId, { id, name: 'roles', expression: '"agent"' });
    expect(await listFederatedClaims(client, DEMO.appId)).toEqual([
      { id, name: 'roles', expression: '"agent"' },
    ]);
    await deleteFederatedClaim(client, DEMO.appId, id);
    expect(await listFederatedClaims(client, DEMO.appId)).toEqual([]);
  });

  it.each([
    ['E0000022', 'The endpoint does not support the provided HTTP method'],
    ['E0000008', 'The requested path was not found'],
  ])('takes Okta’s %s for the claims path as an org without federated claims', async (code, summary) => {
    proxy.answer({
      path: CLAIMS,
      status: 404,
      contentType: 'application/json',
      body: oktaError(code, summary),
    });
    expect(await listFederatedClaims(client, DEMO.appId)).toEqual([]);
    expect(proxy.answered()).toEqual([`GET ${CLAIMS}`]);
  });

  it('fails for an app Okta says is gone (E0000007)', async () => {
    const error = await rejection(listFederatedClaims(client, '0oanosuchapp00000000'));
    expect(error).toBeInstanceOf(OktaPermanentError);
    expect((error as OktaPermanentError).kind).toBe('not-found');
  });

  it('fails for a 404 that is not Okta’s, never reading it as "no claims"', async () => {
    proxy.answer({ path: CLAIMS, status: 404 });
    expect(await rejection(listFederatedClaims(client, DEMO.appId))).toBeInstanceOf(OktaTransientError);
  });
});
