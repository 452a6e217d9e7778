import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * `serve` as an operator runs it, in its own process: for the benchmark and the process tests (kill -9, signals).
 * `via: 'npm'` goes through `npm run cli -- serve`, the way the README says to start it.
 */
export interface ServeProcess {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the first match in stdout+stderr, rejects after `timeoutMs` or when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const ROOT = join(__dirname, '..', '..');

export function spawnServe(options: {
  env: Record<string, string>;
  via?: 'tsx' | 'npm';
  /** Own process group, so a test can signal the whole group as a terminal's Ctrl-C does. */
  detached?: boolean;
}): ServeProcess {
  const [command, args] =
    options.via === 'npm'
      ? ['npm', ['run', '--silent', 'cli', '--', 'serve']]
      : // tsx as a loader, not its launcher: one process, so kill -9 hits serve itself.
        [process.execPath, ['--import', 'tsx', 'bin/cli.ts', 'serve']];
  const child = spawn(command as string, args as string[], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer): void => {
    text += d.toString();
    for (const l of [...listeners]) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const l of [...listeners]) l();
      resolve({ code, signal });
    }),
  );
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    output: () => text,
    exited,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(text);
          if (match) finish(() => resolve(match));
          else if (done || child.exitCode !== null || child.signalCode !== null)
            finish(() => reject(new Error(`serve exited before ${pattern}: ${text}`)));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms: ${text}`))),
          timeoutMs,
        );
        const finish = (fn: () => void): void => {
          clearTimeout(timer);
          listeners.delete(check);
          fn();
        };
        listeners.add(check);
        check();
      }),
  };
}

export const LISTENING = /listening on (http:\/\/\S+\/okta\/event-hook)/;

/** The environment `serve` needs for an org known by URL and SSWS token. */
export function serveEnv(
  org: { url: string; token: string },
  target: { groupId: string; appId: string },
  extra: Record<string, string>,
): Record<string, string> {
  return {
    OKTA_ORG_URL: org.url,
    OKTA_API_TOKEN: org.token,
    FRONTLINE_GROUP_ID: target.groupId,
    FRONTLINE_APP_ID: target.appId,
    PORT: '0',
    FRONTLINE_RECONCILE_INTERVAL: '0',
    ...extra,
  };
}

/** An Okta event hook delivery of `group.user_membership.add` events (the shape Okta sends). */
export function membershipDelivery(groupId: string, events: { uuid: string; userId: string }[]): string {
  return JSON.stringify({
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'https://example.okta.com/api/v1/eventHooks/who0000000000000000',
    eventId: `delivery-${events[0]?.uuid ?? 'empty'}`,
    eventTime: new Date().toISOString(),
    contentType: 'application/json',
    data: {
      events: events.map((e) => ({
        uuid: e.uuid,
        published: new Date().toISOString(),
        eventType: 'group.user_membership.add',
        version: '0',
        severity: 'INFO',
        displayMessage: 'Add user to group membership',
        target: [
          { id: e.userId, type: 'User', alternateId: `${e.userId}@example.com`, displayName: e.userId },
          { id: groupId, type: 'UserGroup', alternateId: 'unknown', displayName: 'Frontline Agents' },
        ],
      })),
    },
  });
}

export async function postDelivery(hookUrl: string, secret: string, body: string): Promise<number> {
  const res = await fetch(hookUrl, {
    method: 'POST',
    headers: { Authorization: secret, 'content-type': 'application/json' },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}
