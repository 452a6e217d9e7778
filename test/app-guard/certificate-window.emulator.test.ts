import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { guardApp } from '../../src/app-guard/run';
import { appRulesFor } from '../../src/domain/app-config';
import { resolvePolicy } from '../../src/domain/policy';
import { EXPIRY_PATH } from '../../src/domain/signing-certificate';
import { loadSettings } from '../../src/config/env';
import { staticCredentials } from '../../src/okta/credentials';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { loadReconcileLambdaConfig, ReconcileConfigError } from '../../src/reconcile/lambda-config';
import { createReconcileHandler } from '../../src/reconcile/lambda-handler';
import { RECONCILE_METRICS } from '../../src/telemetry';
import { api } from '../emulator/sso-helpers';
import { atClock } from '../cli/clock';
import { MemoryQueue, RecordingMetrics, captureOutput, clientFor } from './helpers';

/*
 * The scheduled run reads the same warning window as `check` (CERTIFICATE_EXPIRY_WARNING_DAYS, set on AWS from the
 * deployment's `certificateExpiryWarningDays`, the CertificateExpiring alarm's threshold), with the clock as a
 * parameter.
 */

const DAY = 86_400_000;
let emu: RunningEmulator;
let expiresAt: number;

beforeAll(async () => {
  emu = await startOktaEmulator({ seed: 'demo', rateLimits: false });
  const keys = (await api(emu, 'GET', `/api/v1/apps/${DEMO.appId}/credentials/keys`)).json as unknown as {
    expiresAt: string;
  }[];
  expiresAt = Date.parse(keys[0]!.expiresAt);
});
afterAll(async () => emu.stop());

const daysLeft = (days: number) => new Date(expiresAt - days * DAY - 60_000);

const lambdaEnv = (extra: Record<string, string> = {}) => ({
  OKTA_ORG_URL: emu.url,
  OKTA_CREDENTIALS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta',
  FRONTLINE_APP_ID: DEMO.appId,
  FRONTLINE_GROUP_ID: DEMO.groupId,
  FRONTLINE_REALM_SID: DEMO.realmSid,
  WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/work.fifo',
  ...extra,
});

describe('Function: loadReconcileLambdaConfig, the certificate warning window', () => {
  it('defaults to 30 days and reads CERTIFICATE_EXPIRY_WARNING_DAYS', () => {
    expect(loadReconcileLambdaConfig(lambdaEnv()).certificateExpiryWarningDays).toBe(30);
    expect(
      loadReconcileLambdaConfig(lambdaEnv({ CERTIFICATE_EXPIRY_WARNING_DAYS: '45' }))
        .certificateExpiryWarningDays,
    ).toBe(45);
  });

  it.each(['0', '366', '7.5', 'soon'])('refuses %j, naming the variable', (value) => {
    expect(() => loadReconcileLambdaConfig(lambdaEnv({ CERTIFICATE_EXPIRY_WARNING_DAYS: value }))).toThrow(
      ReconcileConfigError,
    );
    try {
      loadReconcileLambdaConfig(lambdaEnv({ CERTIFICATE_EXPIRY_WARNING_DAYS: value }));
    } catch (err) {
      expect((err as ReconcileConfigError).problems).toEqual([
        'CERTIFICATE_EXPIRY_WARNING_DAYS must be a whole number of days from 1 to 365',
      ]);
    }
  });
});

describe('Function: loadSettings, the certificate warning window', () => {
  it('gives check, status and serve the same default and variable', () => {
    const base = { OKTA_ORG_URL: emu.url, OKTA_API_TOKEN: emu.token };
    const load = (extra: Record<string, string>) =>
      loadSettings({ ...base, ...extra }, { requireHookSecret: false, requireGroup: false });
    expect(load({}).certificateExpiryWarningDays).toBe(30);
    expect(load({ CERTIFICATE_EXPIRY_WARNING_DAYS: ' 60 ' }).certificateExpiryWarningDays).toBe(60);
  });
});

describe('Function: guardApp, the scheduled app check', () => {
  const config = (expiryWarningDays?: number) => ({
    appId: DEMO.appId,
    rules: appRulesFor(DEMO.realmSid, resolvePolicy({ groupIds: [DEMO.groupId] })),
    mode: 'report' as const,
    lastConfirmedFingerprint: undefined,
    ...(expiryWarningDays === undefined ? {} : { expiryWarningDays }),
  });

  it.each([
    [44, true],
    [45, false],
    [46, false],
  ])('with %i days left in a 45-day window reports the expiry: %s', async (days, inside) => {
    const metrics = new RecordingMetrics();
    const outcome = await guardApp(createGuardDirectory(clientFor(emu)), config(45), {
      metrics,
      now: daysLeft(days),
    });

    expect(outcome.findings.some((f) => f.path === EXPIRY_PATH)).toBe(inside);
    expect(metrics.values.get(RECONCILE_METRICS.certDaysToExpiry)).toBe(days);
  });

  it('uses the 30-day default when none is given', async () => {
    const run = (days: number) =>
      guardApp(createGuardDirectory(clientFor(emu)), config(), {
        metrics: new RecordingMetrics(),
        now: daysLeft(days),
      });
    expect((await run(29)).findings.map((f) => f.path)).toEqual([EXPIRY_PATH]);
    expect((await run(30)).findings).toEqual([]);
  });
});

describe('Handler: reconcile Lambda, the certificate warning window', () => {
  const context = {
    functionName: 'reconcile',
    awsRequestId: 'req-1',
    getRemainingTimeInMillis: () => 60_000,
  } as unknown as Context;

  const appCheck = async (env: Record<string, string>, days: number) => {
    const handler = createReconcileHandler(loadReconcileLambdaConfig(lambdaEnv(env)), {
      credentials: staticCredentials({ kind: 'ssws', token: emu.token }),
      queue: new MemoryQueue(),
      metrics: new Metrics({ namespace: 'FrontlineProvisioner', serviceName: 'frontline-reconcile' }),
      logger: new Logger({ serviceName: 'frontline-reconcile', logLevel: 'SILENT' }),
      timeoutEarlyInMillis: 0,
    });
    let result: unknown;
    await captureOutput(async () => {
      result = await atClock(daysLeft(days), () =>
        handler({ kind: 'app-check', events: [{ eventType: 'application.lifecycle.update' }] }, context),
      );
      return 0;
    });
    return result;
  };

  it('reports the certificate inside the window the deployment passes, and not outside it', async () => {
    expect(await appCheck({ CERTIFICATE_EXPIRY_WARNING_DAYS: '45' }, 40)).toEqual({
      kind: 'app-check',
      checked: true,
      findings: 1,
    });
    expect(await appCheck({}, 40)).toEqual({ kind: 'app-check', checked: true, findings: 0 });
  });
});
