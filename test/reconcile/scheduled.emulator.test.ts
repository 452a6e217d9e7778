import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { desiredAppConfig } from '../../src/domain/app-config';
import { getAppRaw, replaceAppRaw } from '../../src/okta/apps';
import { loadReconcileLambdaConfig, ReconcileConfigError } from '../../src/reconcile/lambda-config';
import { createReconcileHandler } from '../../src/reconcile/lambda-handler';
import { runScheduled, type ScheduledRunConfig } from '../../src/reconcile/scheduled';
import { checkAppOnEvent, type AppGuardConfig } from '../../src/app-guard/run';
import { resolvePolicy } from '../../src/domain/policy';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { staticCredentials } from '../../src/okta/credentials';
import { RECONCILE_METRICS } from '../../src/telemetry';
import {
  APP_ID,
  GROUP_ID,
  MemoryQueue,
  RecordingMetrics,
  captureOutput,
  clientFor,
  reconcileSeed,
} from '../app-guard/helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface RunOverrides {
  appId?: string;
  groupId?: string;
  mode?: AppGuardConfig['mode'];
  lastConfirmedFingerprint?: string;
}

/** The app check's settings. */
function appConfig(overrides: RunOverrides = {}): AppGuardConfig {
  return {
    appId: overrides.appId ?? DEMO.appId,
    rules: desiredAppConfig(DEMO.realmSid),
    mode: overrides.mode ?? 'report',
    lastConfirmedFingerprint: overrides.lastConfirmedFingerprint,
  };
}

/** A scheduled run's settings: the app check and the reconcile of the group. */
function config(overrides: RunOverrides = {}): ScheduledRunConfig {
  const { appId, ...app } = appConfig(overrides);
  return {
    appId,
    policy: resolvePolicy({
      groupIds: [overrides.groupId ?? DEMO.groupId],
      pinnedUserNameTemplate: '${source.email}',
    }),
    app,
  };
}

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startOktaEmulator({ seed: 'demo', rateLimits: false });
});
afterAll(() => emu.stop());
beforeEach(() => emu.control.reset('demo'));

describe('Function: runScheduled, with the app check', () => {
  it('hands every planned user to the worker queue, writes nothing itself, and never enqueues what cannot change', async () => {
    const queue = new MemoryQueue();
    const metrics = new RecordingMetrics();
    emu.control.clearRequestLog();
    const summary = await runScheduled(
      { okta: createGuardDirectory(clientFor(emu)), queue, metrics, runId: 'r1' },
      config(),
    );
    expect(emu.control.requestLog().filter((r) => r.method !== 'GET')).toEqual([]);
    // One read of the app: the app check's, which the reconcile's is-it-Frontline's check reuses.
    expect(
      emu.control.requestLog().filter((r) => r.path.split('?')[0] === `/api/v1/apps/${DEMO.appId}`),
    ).toHaveLength(1);
    expect(queue.items.map((i) => i.userId).sort()).toEqual(
      // Not the AD-mastered user (its userType can't be written: reported in plan.mastered); the suspended one
      // loses access under the default policy.
      [DEMO.users.provisioned, DEMO.users.wrongType, DEMO.users.strayAssignee, DEMO.users.suspended].sort(),
    );
    expect(
      queue.items.every((i) => i.source === 'reconcile' && i.triggers[0]?.eventUuid === 'reconcile-r1'),
    ).toBe(true);
    expect(summary.enqueued).toBe(4);
    expect(summary.plan.mastered.map((m) => m.userId)).toEqual([DEMO.users.mastered]);
    expect(Object.fromEntries(metrics.values)).toMatchObject({
      [RECONCILE_METRICS.appFindings]: 0,
      [RECONCILE_METRICS.appBreaksSso]: 0,
      [RECONCILE_METRICS.appRepairFailed]: 0,
      [RECONCILE_METRICS.certChanged]: 0,
      [RECONCILE_METRICS.plannedChanges]: 6,
      [RECONCILE_METRICS.guardTrips]: 0,
      [RECONCILE_METRICS.enqueued]: 4,
    });
    expect(metrics.values.get(RECONCILE_METRICS.certDaysToExpiry)).toBeGreaterThan(30);
  });

  it('repairs drift in repair mode and only reports it in report mode', async () => {
    const client = clientFor(emu);
    const app = (await getAppRaw(client, DEMO.appId)) as Json;
    app.settings.signOn.responseSigned = false;
    await replaceAppRaw(client, DEMO.appId, app);

    const okta = createGuardDirectory(client);
    const report = new RecordingMetrics();
    await runScheduled({ okta, queue: new MemoryQueue(), metrics: report }, config());
    expect(report.values.get(RECONCILE_METRICS.appFindings)).toBe(1);
    expect(((await getAppRaw(client, DEMO.appId)) as Json).settings.signOn.responseSigned).toBe(false);

    const repair = new RecordingMetrics();
    const summary = await runScheduled(
      { okta, queue: new MemoryQueue(), metrics: repair },
      config({ mode: 'repair' }),
    );
    expect(summary.app?.repair).toMatchObject({ ok: true });
    expect(repair.values.get(RECONCILE_METRICS.appRepairFailed)).toBe(0);
    expect(((await getAppRaw(client, DEMO.appId)) as Json).settings.signOn.responseSigned).toBe(true);
  });

  it('reports a changed certificate against the configured fingerprint', async () => {
    const metrics = new RecordingMetrics();
    await runScheduled(
      { okta: createGuardDirectory(clientFor(emu)), queue: new MemoryQueue(), metrics },
      config({ lastConfirmedFingerprint: 'AA:BB' }),
    );
    expect(metrics.values.get(RECONCILE_METRICS.certChanged)).toBe(1);
    expect(metrics.values.get(RECONCILE_METRICS.appBreaksSso)).toBe(1);
  });

  it('enqueues nothing and counts a guard trip when the group was emptied', async () => {
    await emu.control.reset(
      reconcileSeed(
        Array.from({ length: 30 }, () => ({ assigned: true, userType: 'agent', inGroup: false })),
      ),
    );
    const queue = new MemoryQueue();
    const metrics = new RecordingMetrics();
    const summary = await runScheduled(
      { okta: createGuardDirectory(clientFor(emu)), queue, metrics },
      config({ appId: APP_ID, groupId: GROUP_ID }),
    );
    expect(summary.plan.guard.tripped).toBe(true);
    expect(queue.items).toEqual([]);
    expect(metrics.values.get(RECONCILE_METRICS.guardTrips)).toBe(1);
    expect(emu.state.listAppUsers(APP_ID)).toHaveLength(30);
  });
});

describe('Function: runScheduled, without the app check', () => {
  it('runs only the reconcile when no app check is given (no Realm SID): the app is read once, to verify it is Frontline’s, and not measured', async () => {
    // Prepare
    const queue = new MemoryQueue();
    const metrics = new RecordingMetrics();
    const { app, ...withoutApp } = config();
    void app;
    emu.control.clearRequestLog();

    // Act
    const summary = await runScheduled(
      { okta: createGuardDirectory(clientFor(emu)), queue, metrics },
      withoutApp,
    );

    // Assess
    expect(summary.app).toBeUndefined();
    expect(summary.enqueued).toBe(4);
    expect(queue.items).toHaveLength(4);
    expect(
      emu.control.requestLog().filter((r) => r.path.split('?')[0] === `/api/v1/apps/${DEMO.appId}`),
    ).toHaveLength(1);
    expect(metrics.values.has(RECONCILE_METRICS.appFindings)).toBe(false);
    expect(metrics.values.has(RECONCILE_METRICS.certDaysToExpiry)).toBe(false);
    expect(metrics.values.get(RECONCILE_METRICS.enqueued)).toBe(4);
  });
});

describe('Function: checkAppOnEvent', () => {
  it('ignores deliveries without an application.lifecycle change', async () => {
    emu.control.clearRequestLog();
    const outcome = await checkAppOnEvent(
      createGuardDirectory(clientFor(emu)),
      appConfig(),
      [{ eventType: 'group.user_membership.add' }],
      { metrics: new RecordingMetrics() },
    );
    expect(outcome).toBeUndefined();
    expect(emu.control.requestLog()).toEqual([]);
  });

  it('repairs an app an admin just changed', async () => {
    const client = clientFor(emu);
    const app = (await getAppRaw(client, DEMO.appId)) as Json;
    app.settings.signOn.ssoAcsUrl = 'https://wrong.example';
    await replaceAppRaw(client, DEMO.appId, app);
    const outcome = await checkAppOnEvent(
      createGuardDirectory(client),
      appConfig({ mode: 'repair' }),
      [{ eventType: 'application.lifecycle.update' }],
      { metrics: new RecordingMetrics() },
    );
    expect(outcome?.repair).toMatchObject({
      ok: true,
      before: [expect.objectContaining({ path: 'settings.signOn.ssoAcsUrl' })],
    });
  });

  it('reports a deleted app as breaking SSO instead of failing', async () => {
    const client = clientFor(emu);
    await client.http.http(`${emu.url}/api/v1/apps/${DEMO.appId}/lifecycle/deactivate`, {
      method: 'POST',
    } as never);
    await client.http.http(`${emu.url}/api/v1/apps/${DEMO.appId}`, { method: 'DELETE' } as never);
    const metrics = new RecordingMetrics();
    const outcome = await checkAppOnEvent(
      createGuardDirectory(client),
      appConfig({ mode: 'repair' }),
      [{ eventType: 'application.lifecycle.delete' }],
      { metrics },
    );
    expect(outcome).toMatchObject({
      missing: true,
      findings: [expect.objectContaining({ severity: 'breaks-sso' })],
    });
    expect(metrics.values.get(RECONCILE_METRICS.appRepairFailed)).toBe(1);
  });
});

const lambdaEnv = (emuUrl: string) => ({
  OKTA_ORG_URL: emuUrl,
  OKTA_CREDENTIALS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta',
  FRONTLINE_APP_ID: DEMO.appId,
  FRONTLINE_GROUP_ID: DEMO.groupId,
  FRONTLINE_REALM_SID: DEMO.realmSid,
  WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/work.fifo',
});

describe('Function: loadReconcileLambdaConfig', () => {
  it('defaults to report mode, no pruning and a 10% guard', () => {
    expect(loadReconcileLambdaConfig(lambdaEnv('https://example.okta.com'))).toMatchObject({
      mode: 'report',
      policy: { pruneUnmanaged: false, maxRemovalShare: 0.1 },
      confirmedFingerprint: undefined,
    });
  });

  it('names every bad variable', () => {
    const env = { ...lambdaEnv('nope'), FRONTLINE_REALM_SID: 'JB1', APP_GUARD_MODE: 'fix' };
    expect(() => loadReconcileLambdaConfig(env)).toThrow(ReconcileConfigError);
    try {
      loadReconcileLambdaConfig(env);
    } catch (err) {
      expect((err as ReconcileConfigError).problems.join('\n')).toMatch(/OKTA_ORG_URL[\s\S]*APP_GUARD_MODE/);
    }
  });
});

describe('Handler: reconcile Lambda', () => {
  const context = {
    functionName: 'reconcile',
    awsRequestId: 'req-1',
    getRemainingTimeInMillis: () => 60_000,
  } as unknown as Context;

  it('runs the scheduled guard through middy and publishes the metrics as EMF', async () => {
    // Powertools disables metrics in dev mode (set for tests) unless told otherwise, and then prints with console.
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    const printed: string[] = [];
    const log = jest
      .spyOn(console, 'log')
      .mockImplementation((line: unknown) => void printed.push(String(line)));
    try {
      const queue = new MemoryQueue();
      const handler = createReconcileHandler(loadReconcileLambdaConfig(lambdaEnv(emu.url)), {
        credentials: staticCredentials({ kind: 'ssws', token: emu.token }),
        queue,
        metrics: new Metrics({ namespace: 'FrontlineProvisioner', serviceName: 'frontline-reconcile' }),
        logger: new Logger({ serviceName: 'frontline-reconcile' }),
        timeoutEarlyInMillis: 0,
      });
      const result = await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, context);
      expect(result).toMatchObject({ kind: 'reconcile', enqueued: 4, guardTripped: false });
      expect(queue.items).toHaveLength(4);
      // The run id is Lambda's request id, kept across Lambda's retries: a retried run repeats its dedup ids.
      expect(queue.items.every((i) => i.triggers[0]?.eventUuid === 'reconcile-req-1')).toBe(true);
    } finally {
      log.mockRestore();
      delete process.env.POWERTOOLS_METRICS_DISABLED;
    }
    const emf = printed.filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as Json);
    const names = emf.flatMap((doc) => doc._aws.CloudWatchMetrics[0].Metrics.map((m: Json) => m.Name));
    expect(names).toEqual(expect.arrayContaining(Object.values(RECONCILE_METRICS)));
    expect(emf[0]?._aws.CloudWatchMetrics[0].Namespace).toBe('FrontlineProvisioner');
    expect(emf[0]?.[RECONCILE_METRICS.enqueued]).toBe(4);
  });

  it('answers an app-check request without reconciling', async () => {
    const queue = new MemoryQueue();
    const handler = createReconcileHandler(loadReconcileLambdaConfig(lambdaEnv(emu.url)), {
      credentials: staticCredentials({ kind: 'ssws', token: emu.token }),
      queue,
      metrics: new Metrics({ namespace: 'FrontlineProvisioner', serviceName: 'frontline-reconcile' }),
      logger: new Logger({ serviceName: 'frontline-reconcile' }),
      timeoutEarlyInMillis: 0,
    });
    await captureOutput(async () => {
      const result = await handler(
        { kind: 'app-check', events: [{ eventType: 'application.lifecycle.update' }] },
        context,
      );
      expect(result).toEqual({ kind: 'app-check', checked: true, findings: 0 });
      return 0;
    });
    expect(queue.items).toEqual([]);
  });

  it('in group mode, activates an app an admin deactivated and gives the groups’ members their assignments back at once', async () => {
    const client = clientFor(emu);
    const api = (method: string, path: string) =>
      client.http.http(`${emu.url}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
      } as never);
    await api('PUT', `/api/v1/apps/${DEMO.appId}/groups/${DEMO.groupId}`);
    const holders = () => new Set(emu.state.listAppUsers(DEMO.appId).map((u) => u.id));
    const before = holders();
    await api('POST', `/api/v1/apps/${DEMO.appId}/lifecycle/deactivate`);
    // Okta's deactivation removes the group-held assignments (emulator/okta/org/app-deactivation.ts).
    expect(holders().size).toBeLessThan(before.size);
    const handler = createReconcileHandler(
      loadReconcileLambdaConfig({
        ...lambdaEnv(emu.url),
        APP_GUARD_MODE: 'repair',
        FRONTLINE_ASSIGNMENT_MODE: 'group',
        // A second configured group, never assigned to the app: not assigned here (only what an admin had is put back).
        FRONTLINE_GROUP_IDS: DEMO.salesGroupId,
      }),
      {
        credentials: staticCredentials({ kind: 'ssws', token: emu.token }),
        queue: new MemoryQueue(),
        metrics: new Metrics({ namespace: 'FrontlineProvisioner', serviceName: 'frontline-reconcile' }),
        logger: new Logger({ serviceName: 'frontline-reconcile', logLevel: 'SILENT' }),
        timeoutEarlyInMillis: 0,
      },
    );

    await captureOutput(async () => {
      const result = await handler(
        { kind: 'app-check', events: [{ eventType: 'application.lifecycle.deactivate' }] },
        context,
      );
      expect(result).toMatchObject({ kind: 'app-check', checked: true, groupsAssignedAgain: 1 });
      return 0;
    });

    expect((await getAppRaw(client, DEMO.appId)) as Json).toMatchObject({ status: 'ACTIVE' });
    expect(holders()).toEqual(before);
    const groupsOfApp = (await (await api('GET', `/api/v1/apps/${DEMO.appId}/groups`)).json()) as {
      id: string;
    }[];
    expect(groupsOfApp.map((g) => g.id)).toEqual([DEMO.groupId]);
  });

  it('checks the certificate against the records table before the environment value', async () => {
    const handler = createReconcileHandler(loadReconcileLambdaConfig(lambdaEnv(emu.url)), {
      credentials: staticCredentials({ kind: 'ssws', token: emu.token }),
      queue: new MemoryQueue(),
      metrics: new Metrics({ namespace: 'FrontlineProvisioner', serviceName: 'frontline-reconcile' }),
      logger: new Logger({ serviceName: 'frontline-reconcile', logLevel: 'SILENT' }),
      timeoutEarlyInMillis: 0,
      // A confirmation recorded by `check --confirm-certificate --records-table` that no longer matches Okta's.
      fingerprints: { get: async (appId) => (appId === DEMO.appId ? 'AA:BB' : undefined) },
    });
    await captureOutput(async () => {
      const result = await handler(
        { kind: 'app-check', events: [{ eventType: 'application.lifecycle.update' }] },
        context,
      );
      expect(result).toMatchObject({ kind: 'app-check', checked: true, findings: 1 });
      return 0;
    });
  });

  it('puts back the IdP issuer recorded with the certificate in repair mode, not Okta’s default', async () => {
    const client = clientFor(emu);
    const app = (await getAppRaw(client, DEMO.appId)) as Json;
    app.settings.signOn.idpIssuer = 'http://www.okta.com/${org.externalKey}';
    await replaceAppRaw(client, DEMO.appId, app);
    const handler = createReconcileHandler(
      loadReconcileLambdaConfig({ ...lambdaEnv(emu.url), APP_GUARD_MODE: 'repair' }),
      {
        credentials: staticCredentials({ kind: 'ssws', token: emu.token }),
        queue: new MemoryQueue(),
        metrics: new Metrics({ namespace: 'FrontlineProvisioner', serviceName: 'frontline-reconcile' }),
        logger: new Logger({ serviceName: 'frontline-reconcile', logLevel: 'SILENT' }),
        timeoutEarlyInMillis: 0,
        // What `check --confirm-certificate --records-table` recorded: an override pasted into Frontline's console.
        fingerprints: {
          get: async () => undefined,
          getIdpIssuer: async (appId) => (appId === DEMO.appId ? 'urn:example:okta:frontline' : undefined),
        },
      },
    );
    await captureOutput(async () => {
      const result = await handler(
        { kind: 'app-check', events: [{ eventType: 'application.lifecycle.update' }] },
        context,
      );
      expect(result).toMatchObject({ kind: 'app-check', checked: true, findings: 0 });
      return 0;
    });
    expect(((await getAppRaw(client, DEMO.appId)) as Json).settings.signOn.idpIssuer).toBe(
      'urn:example:okta:frontline',
    );
  });
});
