/**
 * What a user's `profile.userType` held before this tool set it to "agent". Onboarding overwrites a value another
 * team may rely on ("manager", "contractor"); the plan and the worker's set-user-type report it, this records it
 * (before the write, so it is never lost), and clearing the role on removal (`clearUserTypeOnRemoval`) puts it back
 * instead of leaving the field empty. Adapters: DynamoDB on AWS (src/dynamodb/user-type-memory.ts), SQLite locally
 * (src/sqlite/user-type-memory.ts).
 */
export interface UserTypeMemory {
  /**
   * Records the value `userType` holds just before this tool sets "agent"; undefined forgets an older one (the
   * field was empty this time, so empty is what a removal puts back).
   */
  remember(userId: string, previous: string | undefined): Promise<void>;
  /** The value recorded for the user, or undefined when there is none. */
  recall(userId: string): Promise<string | undefined>;
  /** Drops the record once its value is back in Okta. */
  forget(userId: string): Promise<void>;
}

/** For tests and runs that keep nothing. */
export class InMemoryUserTypeMemory implements UserTypeMemory {
  public readonly values = new Map<string, string>();

  public async remember(userId: string, previous: string | undefined): Promise<void> {
    if (previous === undefined) this.values.delete(userId);
    else this.values.set(userId, previous);
  }

  public async recall(userId: string): Promise<string | undefined> {
    return this.values.get(userId);
  }

  public async forget(userId: string): Promise<void> {
    this.values.delete(userId);
  }
}

/** The memory could not be read or written; the write it guards is not made, and the item is retried. */
export class UserTypeMemoryError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserTypeMemoryError';
  }
}
