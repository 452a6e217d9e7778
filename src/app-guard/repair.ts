import {
  checkAppConfig,
  USERNAME_TEMPLATE_PATH,
  type AppConfigRules,
  type Finding,
} from '../domain/app-config';
import { planRepair } from '../domain/app-repair';
import type { GuardDirectory } from './okta-port';

export interface RepairResult {
  appId: string;
  /** Config findings before the repair. */
  before: Finding[];
  /** Config findings after re-reading the app. Empty when the repair held. */
  after: Finding[];
  /** Paths the repair wrote but Okta did not keep (a subset of `after`). */
  notKept: Finding[];
  changed: boolean;
  activated: boolean;
  ok: boolean;
}

/**
 * Lossless repair: read raw → change only the failing fields → PUT the whole object → read again → check again.
 * A value Okta did not keep is reported in `notKept` (and `ok` is false) instead of claiming success. An inactive
 * app is activated through its lifecycle endpoint first (a PUT can't change `status`).
 */
export async function repairApp(
  okta: GuardDirectory,
  input: {
    appId: string;
    rules: AppConfigRules;
    /** Also rewrite a username template that differs from the pinned one (every agent's identity changes). */
    userNameTemplate?: boolean;
  },
): Promise<RepairResult> {
  const raw = await okta.getApp(input.appId);
  const all = checkAppConfig(raw, input.rules);
  // Without the flag a pinned-template finding is not ours to fix: it stays a finding in `after`, never "not kept".
  const held = input.userNameTemplate === true ? [] : all.filter((f) => f.path === USERNAME_TEMPLATE_PATH);
  const before = all.filter((f) => !held.includes(f));
  if (before.length === 0) {
    return {
      appId: input.appId,
      before,
      after: held,
      notKept: [],
      changed: false,
      activated: false,
      ok: held.length === 0,
    };
  }
  let activated = false;
  if (before.some((f) => f.path === 'status')) {
    await okta.activateApp(input.appId);
    activated = true;
  }
  const settingsDrift = before.filter((f) => f.path !== 'status');
  if (settingsDrift.length > 0) {
    // After an activation the app is re-read, so the full-replace PUT carries the current state, not the old one.
    const current = activated ? await okta.getApp(input.appId) : raw;
    await okta.replaceApp(
      input.appId,
      planRepair(current, settingsDrift, { userNameTemplate: input.userNameTemplate === true }),
    );
  }
  const after = checkAppConfig(await okta.getApp(input.appId), input.rules);
  const wrote = new Set(before.map((f) => f.path));
  const notKept = after.filter((f) => wrote.has(f.path));
  return {
    appId: input.appId,
    before,
    after,
    notKept,
    changed: settingsDrift.length > 0,
    activated,
    ok: after.length === 0,
  };
}
