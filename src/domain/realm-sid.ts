import { RealmSidError } from './errors';

/*
 * The Frontline Realm SID, defined once: Twilio SIDs are a 2-letter prefix and 32 hex digits, a Realm's prefix is
 * `JB`. Dependency-free so infra/ (CDK config validation) and the CLI's environment schema share it.
 */

export const REALM_SID_PATTERN = /^JB[0-9a-fA-F]{32}$/;

export const REALM_SID_RULE = 'must be a Frontline Realm SID: "JB" followed by 32 hex digits';

export function isRealmSid(value: string): boolean {
  return REALM_SID_PATTERN.test(value);
}

/** Validates a Frontline Realm SID and returns it trimmed; the error says what is wrong with it. */
export function parseRealmSid(input: string): string {
  const value = input.trim();
  if (isRealmSid(value)) return value;
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  let why: string;
  if (value === '') why = 'it is empty';
  else if (!value.startsWith('JB')) why = `it starts with "${value.slice(0, 2)}", not "JB"`;
  else if (value.length !== 34) why = `it has ${value.length - 2} characters after "JB", not 32`;
  else why = 'the 32 characters after "JB" must be hex digits (0-9, a-f)';
  throw new RealmSidError(
    `"${shown}" is not a Frontline Realm SID: ${why}. Copy it from Frontline's console (Manage > SSO/Log in), e.g. JB0123456789abcdef0123456789abcdef.`,
  );
}
