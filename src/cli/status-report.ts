import { SUBSCRIBED_EVENT_TYPES } from '../domain/hook-events';
import { EXPIRY_PATH } from '../domain/signing-certificate';
import { checkApp } from '../app-guard/check';
import { resolveAppId, rulesOf, type GuardContext } from './context';
import { listEventHooks } from '../okta/event-hooks';
import { OktaPermanentError } from '../okta/errors';
import { databasePath } from '../sqlite/database';
import { readLocalStatus, type LocalStatus } from '../sqlite/read-status';

/*
 * `status`: one read-only look at everything that can need an operator: the event hook, the app check, the signing
 * certificate, and serve's local database when there is one. Each part is read on its own, so one that can't be
 * read (a missing scope, say) is reported as such and the others still are.
 */

export interface HookStatus {
  name: string;
  found: boolean;
  id?: string | undefined;
  status?: string | undefined;
  verificationStatus?: string | undefined;
  url?: string | undefined;
  eventTypes: string[];
  /** Event types the receiver handles that the hook is not subscribed to. */
  missingEventTypes: string[];
}

export interface AppStatus {
  appId: string | undefined;
  /** False when there is no Realm SID to check against. */
  checked: boolean;
  valid: boolean;
  findings: number;
}

export interface CertificateStatus {
  kid: string;
  fingerprintSha256: string;
  expiresAt: string;
  daysToExpiry: number;
  /** Compared with the fingerprint recorded as pasted into Frontline (serve's database, else the state file). */
  baseline: 'confirmed' | 'unconfirmed' | 'changed';
}

/** A part that could not be read, and why. */
export interface PartError {
  part: 'hook' | 'app' | 'local';
  message: string;
}

export interface StatusReport {
  hook: HookStatus | undefined;
  app: AppStatus | undefined;
  certificate: CertificateStatus | undefined;
  local: Omit<LocalStatus, 'confirmedFingerprint'> | undefined;
  /** One sentence per thing that needs an operator. */
  attention: string[];
  errors: PartError[];
}

export async function gatherStatus(
  ctx: GuardContext,
  options: { hookName: string; now: Date },
): Promise<StatusReport> {
  const errors: PartError[] = [];
  const attention: string[] = [];
  const failed = (part: PartError['part'], err: unknown): undefined => {
    // An auth failure breaks every part the same way: that is an error of the command, not of one part.
    if (err instanceof OktaPermanentError && err.kind === 'auth') throw err;
    errors.push({ part, message: err instanceof Error ? err.message : String(err) });
    return undefined;
  };

  const hook = await readHook(ctx, options.hookName).catch((err: unknown) => failed('hook', err));
  if (hook) attention.push(...hookAttention(hook));

  let appId = ctx.settings.appId;
  let local: LocalStatus | undefined;
  let app: AppStatus | undefined;
  let certificate: CertificateStatus | undefined;
  try {
    appId ??= await resolveAppId(ctx.okta, ctx.settings, ctx.label);
  } catch (err) {
    failed('app', err);
  }
  let localUnreadable = false;
  try {
    local = readLocalStatus(ctx.settings.dataDir, appId);
  } catch (err) {
    localUnreadable = true;
    failed('local', new Error(unreadableDatabase(databasePath(ctx.settings.dataDir), err)));
  }
  if (appId && !ctx.settings.realmSid) {
    app = { appId, checked: false, valid: false, findings: 0 };
    attention.push('FRONTLINE_REALM_SID is not set: the app config is not checked');
  } else if (appId) {
    try {
      // serve's database, read read-only; with none, what check would read (which creates nothing). An unreadable
      // one leaves the baseline unknown: the certificate is left out rather than called unconfirmed.
      const confirmed = local
        ? local.confirmedFingerprint
        : localUnreadable
          ? undefined
          : await ctx.fingerprints.get(appId);
      const recordedIdpIssuer = local
        ? local.confirmedIdpIssuer
        : localUnreadable
          ? undefined
          : await ctx.fingerprints.getIdpIssuer?.(appId);
      const result = await checkApp(ctx.okta, {
        appId,
        rules: rulesOf(ctx),
        lastConfirmedFingerprint: confirmed,
        recordedIdpIssuer,
        now: options.now,
        expiryWarningDays: ctx.settings.certificateExpiryWarningDays,
      });
      app = { appId, checked: true, valid: result.findings.length === 0, findings: result.findings.length };
      if (!app.valid) attention.push(`the app has ${app.findings} finding(s): npm run cli -- check`);
      // Inside CERTIFICATE_EXPIRY_WARNING_DAYS: the days left and the rollover's next step, as `check` says it.
      const expiring = result.findings.find((f) => f.path === EXPIRY_PATH);
      if (expiring) attention.push(expiring.message);
      if (result.certificate && !localUnreadable) {
        const c = result.certificate;
        const baseline =
          confirmed === undefined
            ? 'unconfirmed'
            : c.fingerprintSha256 === confirmed
              ? 'confirmed'
              : 'changed';
        certificate = {
          kid: c.kid,
          fingerprintSha256: c.fingerprintSha256,
          expiresAt: c.expiresAt,
          daysToExpiry: c.daysToExpiry,
          baseline,
        };
        if (baseline === 'changed')
          attention.push('the signing certificate differs from the one pasted into Frontline');
        if (baseline === 'unconfirmed')
          attention.push('no certificate is confirmed as pasted into Frontline: check --confirm-certificate');
      }
    } catch (err) {
      failed('app', err);
    }
  }
  if (local) {
    if (local.dead > 0) attention.push(`${local.dead} dead letter(s): npm run cli -- dlq list`);
    if (local.lastReconcile && local.lastReconcile.outcome !== 'planned') {
      attention.push(
        `the last reconcile ${local.lastReconcile.outcome === 'failed' ? 'failed' : 'was refused by the mass-removal guard'}` +
          `${local.lastReconcile.reason ? `: ${local.lastReconcile.reason}` : ''}`,
      );
    }
  }
  const {
    confirmedFingerprint: _fingerprint,
    confirmedIdpIssuer: _issuer,
    ...localShown
  } = local ?? { confirmedFingerprint: undefined, confirmedIdpIssuer: undefined };
  return {
    hook,
    app,
    certificate,
    local: local ? (localShown as StatusReport['local']) : undefined,
    attention,
    errors,
  };
}

async function readHook(ctx: GuardContext, name: string): Promise<HookStatus> {
  const hooks = await listEventHooks(ctx.client);
  const hook = hooks.find((h) => h.name === name);
  if (!hook) return { name, found: false, eventTypes: [], missingEventTypes: [...SUBSCRIBED_EVENT_TYPES] };
  const eventTypes = hook.events?.items ?? [];
  return {
    name,
    found: true,
    id: hook.id,
    status: hook.status,
    verificationStatus: hook.verificationStatus,
    url: hook.channel?.config?.uri,
    eventTypes,
    missingEventTypes: SUBSCRIBED_EVENT_TYPES.filter((t) => !eventTypes.includes(t)),
  };
}

function hookAttention(hook: HookStatus): string[] {
  if (!hook.found) return [`no event hook named "${hook.name}": npm run cli -- hook register --url …`];
  const out: string[] = [];
  if (hook.status !== 'ACTIVE' || hook.verificationStatus !== 'VERIFIED') {
    out.push(
      `the event hook is ${hook.status ?? '?'}, ${hook.verificationStatus ?? '?'}: Okta delivers only to ACTIVE, VERIFIED hooks`,
    );
  }
  if (hook.missingEventTypes.length > 0) {
    out.push(
      `the event hook is not subscribed to ${hook.missingEventTypes.join(', ')}: hook register updates it`,
    );
  }
  return out;
}

/** What `status` says of a database it cannot read: a corrupt file is named as such, not taken for "no database". */
function unreadableDatabase(path: string, err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT'
    ? `database ${path} is not a readable SQLite database (${message}): restore it, or move it aside and let serve start a new one`
    : `database ${path} cannot be read: ${message}`;
}
