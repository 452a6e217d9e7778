import { RateGovernor, type RateGovernorOptions } from '../okta/rate-governor';
import { ShuttingDownError } from './errors';

/**
 * The rate governor every Okta call of the local runtime passes through, with a gate: once `close()` is called no
 * call starts any more (checked again after an inline rate-limit wait), so nothing reaches Okta after serve's
 * final line even when a drain timed out with items in flight.
 */
export class GatedRateGovernor extends RateGovernor {
  private open = true;

  public constructor(options: RateGovernorOptions = {}) {
    super(options);
  }

  public get closed(): boolean {
    return !this.open;
  }

  public close(): void {
    this.open = false;
  }

  public override async acquire(url: string): Promise<void> {
    if (!this.open) throw new ShuttingDownError();
    await super.acquire(url);
    if (!this.open) throw new ShuttingDownError();
  }
}
