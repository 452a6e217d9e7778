/*
 * Okta object ids (users `00u…`, groups `00g…`, apps `0oa…`) are 20 base-62 characters, e.g. 00u1a2b3c4d5e6f7g8h9.
 * Anything else taken from an event and put in a URL path could name another resource: `..` and `.` collapse to
 * `GET /api/v1/` or a user list, `me` is the caller itself. Dependency-free: the receiver and the Okta adapter share it.
 */

export const OKTA_ID_PATTERN = /^[A-Za-z0-9]{20}$/;

export function isOktaId(value: string): boolean {
  return OKTA_ID_PATTERN.test(value);
}
