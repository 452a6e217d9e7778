import { AppGuardError } from './check';

/** A rollover step run out of order (`cert rotate`): nothing was changed; the message names the step to run first. */
export class RolloverRefusedError extends AppGuardError {
  public constructor(message: string) {
    super(message);
    this.name = 'RolloverRefusedError';
  }
}

/**
 * Okta answered the key switch but reading the app back shows another key active, or its metadata another
 * certificate: the new baseline is not recorded, and the message says what Okta shows.
 */
export class RolloverNotKeptError extends AppGuardError {
  public constructor(message: string) {
    super(message);
    this.name = 'RolloverNotKeptError';
  }
}
