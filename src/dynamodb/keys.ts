/**
 * The one records table's key layout (infra/constructs/records-table.ts creates it; the adapters read and write it).
 * Dependency-free so the infrastructure and every Lambda bundle can import it. One partition key, prefixed by kind,
 * so features share the table without colliding and a kind can be listed with `begins_with`.
 */
export const RECORDS_TABLE_PARTITION_KEY = 'pk';

export const RECORD_KINDS = {
  /** The System Log catch-up cursor (one item). */
  catchupCursor: 'catchup-cursor',
  /** The Frontline identity of an onboarded Okta user, by Okta user id. */
  identity: 'identity#',
  /** The certificate fingerprint last confirmed in Frontline's console, by app id. */
  certificate: 'certificate#',
  /** The `userType` an onboarding overwrote with "agent", by Okta user id (src/domain/user-type-memory.ts). */
  userType: 'user-type#',
} as const;

export const identityKey = (userId: string): string => `${RECORD_KINDS.identity}${userId}`;
export const userTypeKey = (userId: string): string => `${RECORD_KINDS.userType}${userId}`;
export const certificateKey = (appId: string): string => `${RECORD_KINDS.certificate}${appId}`;
