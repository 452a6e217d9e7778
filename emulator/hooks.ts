import { buildLogEvent, type ChangeEvent, type EventActor, type LogEvent } from './events';
import type { EmulatorState } from './state';
import type { FaultSettings, HookDeliveryRecord, HookDeliverySettings } from './types';

export const DEFAULT_HOOK_SETTINGS: HookDeliverySettings = {
  batchWindowMs: 50,
  maxBatchSize: 50,
  timeoutMs: 3000,
  maxRetries: 1,
};

/** Turns state changes into System Log events and delivers them to event hooks (filled in with step 2). */
export class HookDispatcher {
  private readonly records: HookDeliveryRecord[] = [];
  private readonly emitted: LogEvent[] = [];

  constructor(
    private readonly state: EmulatorState,
    public settings: HookDeliverySettings,
    public faults: FaultSettings,
    private readonly random: () => number,
    private readonly orgUrl: () => string,
  ) {}

  onChange(change: ChangeEvent): void {
    const event = buildLogEvent(change, this.adminActor());
    this.emitted.push(event);
  }

  adminActor(): EventActor {
    const admin = this.state.users.get(this.state.adminId);
    return {
      id: this.state.adminId,
      type: 'User',
      alternateId: String(admin?.profile.login ?? 'admin'),
      displayName:
        `${String(admin?.profile.firstName ?? '')} ${String(admin?.profile.lastName ?? '')}`.trim(),
    };
  }

  events(): LogEvent[] {
    return [...this.emitted];
  }

  deliveries(): HookDeliveryRecord[] {
    return [...this.records];
  }

  async flush(): Promise<void> {}

  stop(): void {}

  seedHook(_hook: Record<string, unknown>): void {}

  listHooks(_base: string): Record<string, unknown>[] {
    return [];
  }

  clear(): void {
    this.records.length = 0;
    this.emitted.length = 0;
    void this.random;
    void this.orgUrl;
  }
}
