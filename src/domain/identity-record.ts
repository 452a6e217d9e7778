/**
 * Which Frontline identity each Okta user was onboarded with. A deleted Okta user has no profile to compute the
 * identity (the app username) from, so the worker records it at onboarding and offboarding reads it back; the
 * reconcile lists every record to check that no longer-entitled users are deactivated in Frontline.
 * Adapters: DynamoDB on AWS (./dynamo-identity-store.ts), SQLite locally.
 */
export interface IdentityRecord {
  /** The Okta user id, `00u…`. */
  userId: string;
  /** The Frontline identity: the SAML NameID, i.e. the Okta app username. Case-sensitive. */
  identity: string;
  /** When it was last recorded, ISO 8601. */
  recordedAt: string;
  /**
   * Identities the user had before (newest first, at most MAX_PREVIOUS_IDENTITIES): a Frontline user made under an
   * old username (a changed template, `reconcile --fix-usernames`, an admin's edit) may still hold a session, so
   * offboarding ends those too. Absent when there were none.
   */
  previous?: string[];
}

export const MAX_PREVIOUS_IDENTITIES = 10;

/** The record after `identity` is recorded over `existing`: a replaced identity moves to `previous`. Pure. */
export function nextIdentityRecord(
  existing: IdentityRecord | undefined,
  userId: string,
  identity: string,
  recordedAt: string,
): IdentityRecord {
  const before = existing ? [existing.identity, ...(existing.previous ?? [])] : [];
  const previous = [...new Set(before.filter((i) => i !== identity))].slice(0, MAX_PREVIOUS_IDENTITIES);
  return { userId, identity, recordedAt, ...(previous.length > 0 ? { previous } : {}) };
}

/** Every identity the record knows: the current one first. */
export function identitiesOf(record: IdentityRecord): string[] {
  return [record.identity, ...(record.previous ?? [])];
}

export interface IdentityStore {
  /** Records the user's current identity; one it replaces is kept in `previous`. */
  record(userId: string, identity: string): Promise<void>;
  /** `record` for many users at once (one transaction where the store has them); optional. */
  recordMany?(entries: readonly { userId: string; identity: string }[]): Promise<void>;
  get(userId: string): Promise<IdentityRecord | undefined>;
  /** Every record, in no particular order. */
  listAll(): Promise<IdentityRecord[]>;
}

/** For tests and single-process runs that keep nothing. */
export class InMemoryIdentityStore implements IdentityStore {
  private readonly records = new Map<string, IdentityRecord>();

  public constructor(private readonly now: () => Date = () => new Date()) {}

  public async record(userId: string, identity: string): Promise<void> {
    const next = nextIdentityRecord(this.records.get(userId), userId, identity, this.now().toISOString());
    this.records.set(userId, next);
  }

  public async get(userId: string): Promise<IdentityRecord | undefined> {
    const r = this.records.get(userId);
    return r ? copy(r) : undefined;
  }

  public async listAll(): Promise<IdentityRecord[]> {
    return [...this.records.values()].map(copy);
  }
}

function copy(r: IdentityRecord): IdentityRecord {
  return { ...r, ...(r.previous ? { previous: [...r.previous] } : {}) };
}

/** The identity store could not be read or written (or holds a record that is not one). Retrying may help. */
export class IdentityStoreError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdentityStoreError';
  }
}
