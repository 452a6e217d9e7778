import type { LogEvent } from './events';
import type { IssuedSamlResponse } from './sso';
import type {
  EmulatorOptions,
  FaultSettings,
  HookDeliveryRecord,
  HookDeliverySettings,
  OrgSettings,
  RateLimitSettings,
  RequestLogEntry,
} from './types';

export interface EmulatorSnapshot {
  users: Record<string, unknown>[];
  groups: { id: string; name: string; type: string; memberIds: string[] }[];
  apps: { app: Record<string, unknown>; users: Record<string, unknown>[]; groupIds: string[] }[];
  eventHooks: Record<string, unknown>[];
}

export interface EmulatorControl {
  /** Back to the seed (the start seed when none is given); clears logs, deliveries, rate-limit counters. */
  reset(seed?: EmulatorOptions['seed']): Promise<void>;
  /** Everything in the org as plain JSON (no private keys, no hook secrets). */
  snapshot(): EmulatorSnapshot;
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  setFaults(faults: Partial<FaultSettings>): FaultSettings;
  setRateLimits(limits: Partial<RateLimitSettings> | false): RateLimitSettings;
  setHookSettings(settings: Partial<HookDeliverySettings>): HookDeliverySettings;
  /** Org settings such as "Edit Deactivated User Profile Updates" and asynchronous lifecycle; reset restores them. */
  setOrgSettings(settings: Partial<OrgSettings>): OrgSettings;
  /** Finishes every asynchronous activation/deactivation under way now. */
  completeTransitions(): void;
  /** Every hook delivery attempt so far, oldest first. */
  deliveries(): HookDeliveryRecord[];
  /** Every System Log event emitted so far (delivered or not). */
  events(): LogEvent[];
  /** Persists every System Log event held back by the `logDelayRate` fault now. */
  flushLog(): void;
  /** Persists a System Log event as given (any `published`), e.g. one written late with an older time. */
  persistLogEvent(event: LogEvent): void;
  /** Sends pending batched events now and waits for all deliveries (including retries) to finish. */
  flushHooks(): Promise<void>;
  /**
   * The SAML Response Okta would post for an IdP-initiated sign-in of the user (id or login) to the app; rejects
   * with `SsoRefusedError` (`code`, `reason`) where Okta signs no one in. Same as `POST /__emulator/sso/{appId}`.
   */
  issueSamlResponse(appId: string, userIdOrLogin: string): Promise<IssuedSamlResponse>;
}
