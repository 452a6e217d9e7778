import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { memoryCursorStore } from '../../src/catchup/cursor-store';
import { createCatchupHandler } from '../../src/catchup/lambda-handler';
import { CatchupConfigError, loadCatchupLambdaConfig } from '../../src/catchup/lambda-config';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import type { WorkItem } from '../../src/domain/work-item';
import { createOktaClient } from '../../src/okta/client';
import { staticCredentials } from '../../src/okta/credentials';
import { upsertEventHook } from '../../src/okta/event-hooks';
import { CATCHUP_METRICS } from '../../src/telemetry';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const lambdaEnv = (orgUrl: string): NodeJS.ProcessEnv => ({
  OKTA_ORG_URL: orgUrl,
  OKTA_CREDENTIALS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:okta',
  FRONTLINE_APP_ID: DEMO.appId,
  FRONTLINE_GROUP_ID: DEMO.groupId,
  WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111111111111/work.fifo',
  RECORDS_TABLE_NAME: 'records',
});

describe('Handler: catch-up Lambda', () => {
  let emu: RunningEmulator;
  const context = {
    functionName: 'catchup',
    awsRequestId: 'req-1',
    getRemainingTimeInMillis: () => 60_000,
  } as unknown as Context;
  beforeAll(async () => {
    emu = await startOktaEmulator({ seed: DEMO_SEED, rateLimits: false });
  });
  afterAll(() => emu.stop());

  it('enqueues what the System Log holds and reports an unverified hook in its metrics', async () => {
    const client = createOktaClient({ orgUrl: emu.url, credentials: { kind: 'ssws', token: emu.token } });
    await fetch(`${emu.url}/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.newHire}`, {
      method: 'PUT',
      headers: { Authorization: `SSWS ${emu.token}` },
    });
    // Created, never verified, and nothing answers its challenge.
    await upsertEventHook(client, {
      name: 'Frontline provisioner',
      url: 'http://127.0.0.1:9/okta/event-hook',
      eventTypes: SUBSCRIBED_EVENT_TYPES,
      authHeader: 'Authorization',
      secret: 'x'.repeat(24),
    });
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    const printed: string[] = [];
    const log = jest
      .spyOn(console, 'log')
      .mockImplementation((line: unknown) => void printed.push(String(line)));
    const items: WorkItem[] = [];
    const cursor = memoryCursorStore();
    try {
      const handler = createCatchupHandler(
        loadCatchupLambdaConfig(lambdaEnv(emu.url), 'Frontline provisioner'),
        {
          credentials: staticCredentials({ kind: 'ssws', token: emu.token }),
          queue: { enqueue: async (batch) => void items.push(...batch) },
          cursor,
          metrics: new Metrics({ namespace: 'FrontlineProvisioner', serviceName: 'frontline-catchup' }),
          logger: new Logger({ serviceName: 'frontline-catchup', logLevel: 'SILENT' }),
          timeoutEarlyInMillis: 0,
        },
      );
      const result = await handler({ source: 'aws.scheduler' }, context);
      expect(result.hook.state).toBe('unverified');
    } finally {
      log.mockRestore();
      delete process.env.POWERTOOLS_METRICS_DISABLED;
    }
    expect(items.map((i) => i.userId)).toEqual([DEMO.users.newHire]);
    expect(cursor.value).toContain('/api/v1/logs?');
    const emf = printed.filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as Json);
    expect(emf[0]?.[CATCHUP_METRICS.hookUnhealthy]).toBe(1);
    expect(emf[0]?.[CATCHUP_METRICS.enqueued]).toBe(1);
    expect(emf[0]?.[CATCHUP_METRICS.completed]).toBe(1);
  });

  it('hands the Frontline app’s lifecycle events to the prompt app check, and keeps its place if that fails', async () => {
    await emu.control.reset();
    const app = emu.state.getApp(DEMO.appId) as Record<string, unknown>;
    const res = await fetch(`${emu.url}/api/v1/apps/${DEMO.appId}`, {
      method: 'PUT',
      headers: { Authorization: `SSWS ${emu.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...app, label: 'Twilio Frontline (edited)' }),
    });
    expect(res.ok).toBe(true);
    const handed: string[][] = [];
    let fail = true;
    const cursor = memoryCursorStore();
    const handler = createCatchupHandler(
      loadCatchupLambdaConfig(
        { ...lambdaEnv(emu.url), APP_CHECK_FUNCTION_NAME: 'reconcile' },
        'Frontline provisioner',
      ),
      {
        credentials: staticCredentials({ kind: 'ssws', token: emu.token }),
        queue: { enqueue: async () => undefined },
        cursor,
        metrics: new Metrics({ namespace: 'FrontlineProvisioner', serviceName: 'frontline-catchup' }),
        logger: new Logger({ serviceName: 'frontline-catchup', logLevel: 'SILENT' }),
        timeoutEarlyInMillis: 0,
        onAppConfigEvents: async (events) => {
          handed.push(events.map((e) => e.eventType));
          if (fail) throw new Error('Lambda Invoke answered 500');
        },
      },
    );

    await expect(handler({ source: 'aws.scheduler' }, context)).rejects.toThrow(/Invoke answered 500/);
    expect(cursor.value).toBeUndefined(); // the next minute reads the same events again
    fail = false;
    await handler({ source: 'aws.scheduler' }, context);

    expect(handed).toEqual([['application.lifecycle.update'], ['application.lifecycle.update']]);
    expect(cursor.value).toContain('/api/v1/logs?');
  });

  it('refuses a configuration without the records table, naming the variable', () => {
    const env = { ...lambdaEnv('https://example.okta.com'), RECORDS_TABLE_NAME: '' };
    expect(() => loadCatchupLambdaConfig(env, 'x')).toThrow(CatchupConfigError);
    expect(() => loadCatchupLambdaConfig(env, 'x')).toThrow(/RECORDS_TABLE_NAME/);
  });
});
