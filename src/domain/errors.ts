/** Input the domain rules refuse. Messages show the bad value (never a secret) and what is allowed. */
export class RealmSidError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'RealmSidError';
  }
}
