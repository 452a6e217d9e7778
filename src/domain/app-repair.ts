import {
  CASB_OVERRIDES,
  get,
  isObject,
  STATEMENT_PATH,
  STATEMENTS_PATH,
  USERNAME_TEMPLATE_PATH,
  type AttributeStatement,
  type Finding,
  type Json,
} from './app-config';
import { PRODUCT_MARK } from './app-target';
import { isClaimPath } from './federated-claims';
import { userNameTemplateType } from './username-template';

/*
 * The lossless repair of an app's raw JSON against the rules of ./app-config.ts: only the failing fields change,
 * everything else in the app is sent back as Okta gave it. Pure.
 */

function set(root: Json, path: readonly string[], value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  node[path[path.length - 1] as string] = value;
}

/**
 * Returns a deep copy of the app with only the failing fields changed, ready to PUT back whole. Certificate findings
 * (not repairable) are ignored, and so is a pinned username template unless `userNameTemplate` is set. `status` is set so the body agrees with the app after the caller activates it (the
 * PUT itself cannot activate an app). Federated-claim findings live outside the app object: ./federated-claims.ts
 * plans their writes.
 */
export function planRepair(
  rawApp: unknown,
  findings: readonly Finding[],
  options: { userNameTemplate?: boolean } = {},
): Json {
  const app = (isObject(rawApp) ? structuredClone(rawApp) : {}) as Json;
  for (const finding of findings) {
    if (!finding.repairable || isClaimPath(finding.path)) continue;
    // Changing the username template moves every agent to a new Frontline identity: only on request.
    if (finding.path === USERNAME_TEMPLATE_PATH && options.userNameTemplate !== true) continue;
    const statement = STATEMENT_PATH.exec(finding.path);
    if (statement) {
      replaceStatement(app, finding.expected as AttributeStatement);
      continue;
    }
    set(app, finding.path.split('.'), finding.expected);
    if (finding.path === USERNAME_TEMPLATE_PATH) {
      const template = String(finding.expected);
      set(app, ['credentials', 'userNameTemplate', 'type'], userNameTemplateType(template));
    }
  }
  return app;
}

function replaceStatement(app: Json, wanted: AttributeStatement): void {
  const current = get(app, STATEMENTS_PATH);
  const list = Array.isArray(current) ? current : [];
  const next: unknown[] = [];
  let placed = false;
  for (const s of list) {
    if (isObject(s) && s.name === wanted.name) {
      // The first same-named statement is replaced in place (keeping its position); duplicates are dropped.
      if (!placed) next.push({ ...s, ...structuredClone(wanted) });
      placed = true;
    } else {
      next.push(s);
    }
  }
  if (!placed) next.push(structuredClone(wanted));
  set(app, STATEMENTS_PATH, next);
}

/** The paths the rules own; everything else in an app is never written by a repair. */
export const RULE_PATHS: readonly string[] = [
  'signOnMode',
  'status',
  'label',
  'settings.signOn.ssoAcsUrl',
  'settings.signOn.recipient',
  'settings.signOn.destination',
  'settings.signOn.audience',
  'settings.signOn.responseSigned',
  'settings.signOn.assertionSigned',
  'settings.signOn.assertionEncryption.enabled',
  ...CASB_OVERRIDES.map(([field]) => `settings.signOn.${field}`),
  'settings.signOn.idpIssuer',
  'settings.signOn.defaultRelayState',
  'settings.signOn.subjectNameIdTemplate',
  'settings.signOn.attributeStatements',
  'credentials.userNameTemplate.template',
  'credentials.userNameTemplate.type',
];

/** The app body marked as this tool's (an adopted app): later runs verify it by the mark (./app-target.ts). */
export function withProductMark(app: Json): Json {
  const marked = structuredClone(app);
  const settings = (isObject(marked.settings) ? marked.settings : {}) as Json;
  const notes = (isObject(settings.notes) ? settings.notes : {}) as Json;
  const admin = typeof notes.admin === 'string' && notes.admin !== '' ? `${notes.admin}\n` : '';
  set(marked, ['settings', 'notes', 'admin'], `${admin}${PRODUCT_MARK}`);
  return marked;
}
