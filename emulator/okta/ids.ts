import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
let counter = 0;

/**
 * An Okta-style id: a 3-char prefix (`00u` user, `00g` group, `0oa` app, `who` event hook, `exk` SAML issuer key)
 * plus 17 chars. Ids made later sort after earlier ones, as Okta's mostly do, so cursor pagination stays stable.
 */
export function newId(prefix: string): string {
  counter += 1;
  const time = (Date.now() * 1000 + (counter % 1000)).toString(36).padStart(11, '0').slice(-11);
  const rand = [...randomBytes(6)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${prefix}${time}${rand}`;
}

export const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, '.000Z');

export function uuid(): string {
  return crypto.randomUUID();
}

/**
 * The id Okta gives an app assignment (`0ua…`): the System Log's `AppUser` target and an app link's
 * `appAssignmentId` carry it, while the app user API answers with the Okta user id (`00u…`). Derived from the app and
 * user so it stays the same for the assignment's whole life.
 */
export function appAssignmentId(appId: string, userId: string): string {
  const digest = createHash('sha256').update(`${appId}/${userId}`).digest();
  return `0ua${[...digest.subarray(0, 17)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}
