import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { run as check } from '../../src/cli/check';
import { loadSettings } from '../../src/config/env';
import type { Finding } from '../../src/domain/app-config';
import { guardApp } from '../../src/app-guard/run';
import { startBackstop } from '../../src/local/backstop';
import { localAppCheck } from '../../src/local/app-check';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { loadReconcileLambdaConfig } from '../../src/reconcile/lambda-config';
import { jsonOf } from '../cli/helpers';
import { adminCall, clientFor, envFor, tempDir, useEmulatorOrg } from './helpers';

/*
 * check, the reconcile Lambda and serve (its hourly backstop and its check after an app change) build the app rules
 * from the same settings the same way, so they report the same findings for the same app. The case that once
 * differed: an app whose own username template is `${source.login}` with no FRONTLINE_USERNAME_TEMPLATE pinned, where
 * serve checked against a default `${source.email}` and reported drift that `check` then did not show.
 */
describe('Function: the app findings of check, the reconcile Lambda and serve', () => {
  let emu: RunningEmulator;
  let tmp: ReturnType<typeof tempDir>;
  useEmulatorOrg({ seed: 'demo', resetEachTest: false }, (started, dir) => {
    emu = started;
    tmp = dir;
  });

  const paths = (findings: readonly Pick<Finding, 'path'>[]) => findings.map((f) => f.path).sort();

  async function findingsOfEach(env: NodeJS.ProcessEnv) {
    // check: the CLI, with the certificate recorded as the baseline on this first run.
    const checked = await jsonOf<{ findings: Finding[]; certificate?: { fingerprintSha256: string } }>(() =>
      check(['--json'], env),
    );
    const confirmed = checked.doc.certificate?.fingerprintSha256;
    const okta = createGuardDirectory(clientFor(emu));
    const metrics = { addMetric: () => undefined };

    // The reconcile Lambda: its configuration's rules, through its app check.
    const lambda = loadReconcileLambdaConfig({
      ...env,
      OKTA_CREDENTIALS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-AbCdEf',
      WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/work.fifo',
    });
    const lambdaOutcome = await guardApp(
      okta,
      { appId: DEMO.appId, rules: lambda.rules, mode: 'report', lastConfirmedFingerprint: confirmed },
      { metrics, now: new Date() },
    );

    // serve: the backstop's run and the check after an app change, from serve's own settings.
    const settings = { ...loadSettings(env, { requireHookSecret: false }), appId: DEMO.appId };
    const logged: { message: string; findings?: { path: string }[] }[] = [];
    const record = (message: string, extra: Record<string, unknown>) =>
      void logged.push({ message, findings: extra.findings as { path: string }[] | undefined });
    const logger = { info: record, warn: record, error: record };
    const fingerprints = { writable: false, get: async () => confirmed, confirm: async () => undefined };
    const backstop = startBackstop({
      client: clientFor(emu),
      queue: { enqueue: async () => undefined },
      settings: { ...settings, reconcileIntervalSeconds: 0 },
      fingerprints,
      logger,
    });
    await backstop.runOnce();
    const afterChange = new Promise<void>((resolve) => {
      const done = (message: string, extra: Record<string, unknown>) => {
        record(message, extra);
        if (message === 'app check after an Okta app change') resolve();
      };
      void localAppCheck({
        client: clientFor(emu),
        settings,
        fingerprints,
        logger: { info: done, warn: done, error: done },
      })([{ eventType: 'application.lifecycle.update' } as never]);
    });
    await afterChange;
    const serveLine = (message: string) => logged.find((l) => l.message === message)?.findings ?? [];

    return {
      check: paths(checked.doc.findings),
      lambda: paths(lambdaOutcome.findings),
      backstop: paths(serveLine('backstop app check')),
      appChange: paths(serveLine('app check after an Okta app change')),
    };
  }

  it('agrees that an app using its own ${source.login} template, nothing pinned, is valid', async () => {
    // Prepare: the admin chose ${source.login} for the app's usernames; FRONTLINE_USERNAME_TEMPLATE is unset.
    const app = (await adminCall(emu, 'GET', `/api/v1/apps/${DEMO.appId}`)) as unknown as Record<
      string,
      unknown
    >;
    const credentials = app.credentials as Record<string, unknown>;
    await adminCall(emu, 'PUT', `/api/v1/apps/${DEMO.appId}`, {
      ...app,
      credentials: { ...credentials, userNameTemplate: { template: '${source.login}', type: 'CUSTOM' } },
    });
    const env = envFor(emu, `${tmp.dir}/login.json`);

    // Act
    const each = await findingsOfEach(env);

    // Assess: an admin's valid choice is not drift, for any of them.
    expect(each).toEqual({ check: [], lambda: [], backstop: [], appChange: [] });
  });

  it('reports the same drift everywhere when a pinned template differs from the app’s', async () => {
    // Prepare: the app keeps ${source.login}; the operator pins ${source.email}.
    const env = envFor(emu, `${tmp.dir}/pinned.json`, { FRONTLINE_USERNAME_TEMPLATE: '${source.email}' });

    // Act
    const each = await findingsOfEach(env);

    // Assess
    expect(each.check).toEqual(['credentials.userNameTemplate.template']);
    expect(each).toEqual({
      check: each.check,
      lambda: each.check,
      backstop: each.check,
      appChange: each.check,
    });
  });
});
