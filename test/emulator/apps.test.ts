import { XMLParser } from 'fast-xml-parser';
import { X509Certificate } from 'node:crypto';
import { DEMO, frontlineSamlApp } from '../../emulator/okta';
import { all, failure, raw, startHarness, type Harness } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Okta emulator: apps and app users through the SDK', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.emulator.stop());
  beforeEach(() => h.emulator.control.reset());

  const appUrl = () => `${h.emulator.url}/api/v1/apps/${DEMO.appId}`;

  it('lists apps filtered by status, user, group and name, and searched with q', async () => {
    const ids = async (params: Json) =>
      (await all(h.client.applicationApi.listApplications(params))).map((a) => a.id);
    expect(await ids({ q: 'Twilio' })).toEqual([DEMO.appId]);
    expect(await ids({ filter: 'status eq "ACTIVE"' })).toEqual(
      expect.arrayContaining([DEMO.appId, DEMO.otherAppId]),
    );
    expect(await ids({ filter: `user.id eq "${DEMO.users.agent}"` })).toEqual(
      expect.arrayContaining([DEMO.appId, DEMO.otherAppId]),
    );
    expect(await ids({ filter: `user.id eq "${DEMO.users.newHire}"` })).toEqual([DEMO.otherAppId]);
    expect(await ids({ filter: `group.id eq "${DEMO.everyoneGroupId}"` })).toEqual([DEMO.otherAppId]);
    expect(await ids({ filter: 'name eq "bookmark"' })).toEqual([DEMO.otherAppId]);
  });

  it('serves the demo app configured for the Realm SID, with the fields the SDK models drop', async () => {
    const app = (await raw(h.client, 'GET', appUrl())).json() as Json;
    const signOn = app.settings.signOn;
    expect(signOn.ssoAcsUrl).toBe(`https://iam.twilio.com/v2/saml2/authenticate/${DEMO.realmSid}`);
    expect(signOn.audience).toBe(`https://iam.twilio.com/v2/saml2/metadata/${DEMO.realmSid}`);
    expect(signOn.defaultRelayState).toBeNull();
    expect([signOn.responseSigned, signOn.assertionSigned]).toEqual([true, true]);
    expect(app.settings.app).toEqual({});
    expect(app.settings.manualProvisioning).toBe(false);
    expect(signOn.samlSignedRequestEnabled).toBe(false);
    expect(app.credentials.signing.kid).toBe(DEMO.signingKid);
    const sdk = await h.client.applicationApi.getApplication({ appId: DEMO.appId });
    expect(sdk.label).toBe('Twilio Frontline');
  });

  it('replaces an app with PUT, keeping unknown fields the client sent and server-managed fields', async () => {
    const app = (await raw(h.client, 'GET', appUrl())).json() as Json;
    app.settings.signOn.defaultRelayState = 'x';
    app.settings.app = { custom: 1 };
    app.id = 'changed';
    app.created = '2000-01-01T00:00:00.000Z';
    const put = await raw(h.client, 'PUT', appUrl(), app);
    expect(put.status).toBe(200);
    const after = h.emulator.state.getApp(DEMO.appId) as Json;
    expect(after.settings.signOn.defaultRelayState).toBe('x');
    expect(after.settings.app).toEqual({ custom: 1 });
    expect(after.id).toBe(DEMO.appId);
    expect(after.created).not.toBe('2000-01-01T00:00:00.000Z');
    expect(after.credentials.signing.kid).toBe(DEMO.signingKid);
  });

  it('drops signOn changes silently when a SAML PUT carries neither ssoAcsUrl nor destinationOverride', async () => {
    const app = (await raw(h.client, 'GET', appUrl())).json() as Json;
    delete app.settings.signOn.ssoAcsUrl;
    app.settings.signOn.defaultRelayState = 'dropped';
    app.label = 'Twilio Frontline (renamed)';
    const put = await raw(h.client, 'PUT', appUrl(), app);
    expect(put.status).toBe(200);
    const after = h.emulator.state.getApp(DEMO.appId) as Json;
    expect(after.label).toBe('Twilio Frontline (renamed)');
    expect(after.settings.signOn.defaultRelayState).toBeNull();
    expect(after.settings.signOn.ssoAcsUrl).toBe(
      `https://iam.twilio.com/v2/saml2/authenticate/${DEMO.realmSid}`,
    );
    // With destinationOverride (and no ssoAcsUrl) the change applies.
    app.settings.signOn.destinationOverride = null;
    app.settings.signOn.ssoAcsUrl = `https://iam.twilio.com/v2/saml2/authenticate/${DEMO.realmSid}`;
    app.settings.signOn.defaultRelayState = 'kept';
    await raw(h.client, 'PUT', appUrl(), app);
    expect((h.emulator.state.getApp(DEMO.appId) as Json).settings.signOn.defaultRelayState).toBe('kept');
  });

  it('rejects a PUT missing label or required signOn fields with 400 E0000001 and one cause each', async () => {
    const app = (await raw(h.client, 'GET', appUrl())).json() as Json;
    delete app.label;
    delete app.settings.signOn.audience;
    const err = await failure(raw(h.client, 'PUT', appUrl(), app));
    expect([err.status, err.errorCode]).toEqual([400, 'E0000001']);
    expect(err.errorCauses.map((c) => c.errorSummary)).toEqual([
      'label: The field cannot be left blank',
      'settings.signOn.audience: The field cannot be left blank',
    ]);
    expect((h.emulator.state.getApp(DEMO.appId) as Json).label).toBe('Twilio Frontline');
  });

  it('creates a SAML app with its own signing key, then deactivates and deletes it', async () => {
    const body = frontlineSamlApp({
      id: 'ignored',
      realmSid: DEMO.realmSid,
      kid: 'ignored',
      label: 'Second',
    }) as Json;
    delete body.id;
    for (const f of ['name', 'created', 'lastUpdated', 'status']) delete body[f];
    delete body.credentials.signing;
    const created = await h.client.applicationApi.createApplication({
      application: body as never,
      activate: false,
    });
    expect(created.id).toMatch(/^0oa/);
    expect(created.status).toBe('INACTIVE');
    const keys = await all(h.client.applicationApi.listApplicationKeys({ appId: created.id! }));
    expect(keys).toHaveLength(1);
    expect((created as Json).credentials.signing.kid).toBe(keys[0]!.kid);
    await h.client.applicationApi.activateApplication({ appId: created.id! });
    const active = await failure(h.client.applicationApi.deleteApplication({ appId: created.id! }));
    // Okta's Apps API: 403 E0000056 "Delete application forbidden." with this cause.
    expect([active.status, active.errorCode, active.errorSummary]).toEqual([
      403,
      'E0000056',
      'Delete application forbidden.',
    ]);
    expect(active.errorCauses).toEqual([
      { errorSummary: 'The application must be deactivated before deletion.' },
    ]);
    await h.client.applicationApi.deactivateApplication({ appId: created.id! });
    await h.client.applicationApi.deleteApplication({ appId: created.id! });
    expect(h.emulator.state.getApp(created.id!)).toBeUndefined();
  });

  it('pages app users at most 500 per request, and the SDK collects every page', async () => {
    const expected = h.emulator.state.listAppUsers(DEMO.appId).map((u) => u.id);
    const users = await all(h.client.applicationApi.listApplicationUsers({ appId: DEMO.appId, limit: 2 }));
    expect(users.map((u) => u.id)).toEqual(expected);
    const big = await raw(h.client, 'GET', `${appUrl()}/users?limit=1000`);
    expect(big.status).toBe(200);
  });

  it('searches app users with q and embeds the user with expand=user', async () => {
    const res = await raw(h.client, 'GET', `${appUrl()}/users?q=alex&expand=user`);
    const users = res.json() as Json[];
    expect(users.map((u) => u.id)).toEqual([DEMO.users.agent]);
    expect(users[0]!._embedded.user.profile.userType).toBe('agent');
    // Okta's AppUser: the Okta user id, with sync fields null while provisioning is off.
    expect(Object.keys(users[0]!).sort()).toEqual(
      [
        '_embedded',
        '_links',
        'created',
        'credentials',
        'externalId',
        'id',
        'lastSync',
        'lastUpdated',
        'passwordChanged',
        'profile',
        'scope',
        'status',
        'statusChanged',
        'syncState',
      ].sort(),
    );
  });

  it('assigns a user with 200, answers a repeat with the same assignment, and unassigns with 204', async () => {
    const appUser = {
      id: DEMO.users.newHire,
      scope: 'USER' as const,
      credentials: { userName: 'nina.newhire@example.com' },
    };
    const first = await h.client.applicationApi.assignUserToApplication({ appId: DEMO.appId, appUser });
    expect(first).toMatchObject({ id: DEMO.users.newHire, scope: 'USER' });
    const again = await h.client.applicationApi.assignUserToApplication({ appId: DEMO.appId, appUser });
    expect(again.created).toEqual(first.created);
    const one = await h.client.applicationApi.getApplicationUser({
      appId: DEMO.appId,
      userId: DEMO.users.newHire,
    });
    expect(one.credentials?.userName).toBe('nina.newhire@example.com');
    await h.client.applicationApi.unassignUserFromApplication({
      appId: DEMO.appId,
      userId: DEMO.users.newHire,
    });
    const gone = await failure(
      h.client.applicationApi.unassignUserFromApplication({ appId: DEMO.appId, userId: DEMO.users.newHire }),
    );
    expect([gone.status, gone.errorCode]).toEqual([404, 'E0000007']);
  });

  it('names an assignment made without a username from the app’s template, Okta EL functions included', async () => {
    const app = (await raw(h.client, 'GET', appUrl())).json() as Json;
    app.credentials.userNameTemplate = {
      template: '${String.toLowerCase(fn:substringBefore(source.email, "@"))}-fl',
      type: 'CUSTOM',
    };
    await raw(h.client, 'PUT', appUrl(), app);
    const assigned = await raw(h.client, 'POST', `${appUrl()}/users`, {
      id: DEMO.users.newHire,
      scope: 'USER',
    });
    expect((assigned.json() as Json).credentials.userName).toBe('nina.newhire-fl');
  });

  it('updates an assignment’s username with POST /apps/{appId}/users/{userId}, keeping its scope', async () => {
    const url = `${appUrl()}/users/${DEMO.users.oddUserName}`;
    const updated = await raw(h.client, 'POST', url, {
      credentials: { userName: 'omar.oddname@example.com' },
    });
    expect(updated.status).toBe(200);
    expect((updated.json() as Json).credentials.userName).toBe('omar.oddname@example.com');
    expect(((await raw(h.client, 'GET', url)).json() as Json).scope).toBe('USER');
    const blank = await failure(raw(h.client, 'POST', url, { credentials: {} }));
    expect([blank.status, blank.errorCode]).toEqual([400, 'E0000001']);
  });

  it('rejects an unknown user with 404 and a userName over 100 characters with 400', async () => {
    const unknown = await failure(
      h.client.applicationApi.assignUserToApplication({
        appId: DEMO.appId,
        appUser: { id: '00unobody00000000000' },
      }),
    );
    expect(unknown.status).toBe(404);
    const long = await failure(
      h.client.applicationApi.assignUserToApplication({
        appId: DEMO.appId,
        appUser: { id: DEMO.users.newHire, credentials: { userName: 'x'.repeat(101) } },
      }),
    );
    expect([long.status, long.errorCode]).toEqual([400, 'E0000001']);
  });

  it('gives group members scope GROUP assignments that cannot be removed per user (403 E0000046)', async () => {
    await raw(
      h.client,
      'PUT',
      `${h.emulator.url}/api/v1/apps/${DEMO.appId}/groups/${DEMO.engineeringGroupId}`,
      {},
    );
    const viaGroup = h.emulator.state.listAppUsers(DEMO.appId).find((u) => u.id.startsWith('00udevon'));
    expect(viaGroup?.scope).toBe('GROUP');
    const err = await failure(
      h.client.applicationApi.unassignUserFromApplication({ appId: DEMO.appId, userId: viaGroup!.id }),
    );
    expect([err.status, err.errorCode]).toEqual([403, 'E0000046']);
    expect(h.emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === viaGroup!.id)).toBe(true);
    // A direct assignment on top makes the scope USER, but the group still blocks the removal.
    await h.client.applicationApi.assignUserToApplication({
      appId: DEMO.appId,
      appUser: { id: viaGroup!.id },
    });
    expect(h.emulator.state.listAppUsers(DEMO.appId).find((u) => u.id === viaGroup!.id)?.scope).toBe('USER');
    const dual = await failure(
      h.client.applicationApi.unassignUserFromApplication({ appId: DEMO.appId, userId: viaGroup!.id }),
    );
    expect(dual.errorCode).toBe('E0000046');
  });

  it('serves IdP metadata as text/xml with the issuer, SSO URL and a real certificate', async () => {
    const res = await raw(
      h.client,
      'GET',
      `${appUrl()}/sso/saml/metadata?kid=${DEMO.signingKid}`,
      undefined,
      {
        Accept: 'application/xml',
      },
    );
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    const xml = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true }).parse(res.text) as Json;
    const entity = xml.EntityDescriptor;
    expect(entity['@_entityID']).toMatch(/^http:\/\/www\.okta\.com\/exk/);
    const sso = [entity.IDPSSODescriptor.SingleSignOnService].flat()[0];
    expect(sso['@_Location']).toMatch(new RegExp(`^${h.emulator.url}/app/[^/]+/exk[^/]+/sso/saml$`));
    const certB64 = entity.IDPSSODescriptor.KeyDescriptor.KeyInfo.X509Data.X509Certificate as string;
    const cert = new X509Certificate(Buffer.from(certB64, 'base64'));
    expect(cert.subject).toContain('O=Okta');
    const keys = await all(h.client.applicationApi.listApplicationKeys({ appId: DEMO.appId }));
    expect(keys[0]).toMatchObject({ kid: DEMO.signingKid, x5c: [certB64] });
    expect(keys[0]!.x5tS256).toEqual(expect.any(String));
    expect(keys[0]!.expiresAt).toEqual(expect.anything());
  });

  it('links the metadata without a kid, and requires kid on the preview itself', async () => {
    const app = (await raw(h.client, 'GET', appUrl())).json() as Json;
    expect(app._links.metadata).toEqual({ href: `${appUrl()}/sso/saml/metadata`, type: 'application/xml' });
    const bare = await failure(
      raw(h.client, 'GET', app._links.metadata.href, undefined, { Accept: 'application/xml' }),
    );
    expect([bare.status, bare.errorCode]).toEqual([400, 'E0000001']);
    const res = await raw(h.client, 'GET', `${app._links.metadata.href}?kid=${DEMO.signingKid}`, undefined, {
      Accept: 'application/xml',
    });
    expect(res.status).toBe(200);
    const keys = await all(h.client.applicationApi.listApplicationKeys({ appId: DEMO.appId }));
    const active = keys.find((k) => k.kid === DEMO.signingKid)!;
    expect(res.text).toContain(active.x5c![0]);
  });
});
