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
}

export interface IdentityStore {
  /** Records (or replaces) the user's identity. */
  record(userId: string, identity: string): Promise<void>;
  get(userId: string): Promise<IdentityRecord | undefined>;
  /** Every record, in no particular order. */
  listAll(): Promise<IdentityRecord[]>;
}

/** For tests and single-process runs that keep nothing. */
export class InMemoryIdentityStore implements IdentityStore {
  private readonly records = new Map<string, IdentityRecord>();

  public constructor(private readonly now: () => Date = () => new Date()) {}

  public async record(userId: string, identity: string): Promise<void> {
    this.records.set(userId, { userId, identity, recordedAt: this.now().toISOString() });
  }

  public async get(userId: string): Promise<IdentityRecord | undefined> {
    const r = this.records.get(userId);
    return r ? { ...r } : undefined;
  }

  public async listAll(): Promise<IdentityRecord[]> {
    return [...this.records.values()].map((r) => ({ ...r }));
  }
}
