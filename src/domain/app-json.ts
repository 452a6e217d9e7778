/*
 * An app as Okta's raw JSON, the ways the app rules read it, and what a rule reports. Pure. Re-exported by
 * ./app-config.ts, where callers find them.
 */

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function get(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

export type Severity = 'breaks-sso' | 'risky' | 'cosmetic';

export interface Finding {
  /**
   * Dotted path into the app JSON (attribute statements by name: `settings.signOn.attributeStatements[email]`), or
   * a store beside it (`federatedClaims[roles]`, `duplicateClaims[roles]`: ./federated-claims.ts).
   */
  path: string;
  expected: unknown;
  actual: unknown;
  severity: Severity;
  message: string;
  /** False for what a PUT cannot fix (the signing certificate: it must be re-pasted into Frontline's console). */
  repairable: boolean;
}
