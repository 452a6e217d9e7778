import {
  USERNAME_TEMPLATE_PATH,
  withRecordedIdpIssuer,
  type AppConfigRules,
  type Finding,
} from '../domain/app-config';
import { planRepair, withProductMark } from '../domain/app-repair';
import {
  checkAppRules,
  DUPLICATE_CLAIM_PATH,
  isClaimPath,
  planClaimRepair,
} from '../domain/federated-claims';
import { requireFrontlineApp } from './check';
import type { GuardDirectory } from './okta-port';

export interface RepairResult {
  appId: string;
  /**
   * Config findings before the repair: what it wrote. A `federatedClaims[…]` one was PUT back with the expression
   * Frontline needs; a `duplicateClaims[…]` one (only with `removeDuplicateClaims`) had the claims its `expected`
   * names deleted, keeping what it says.
   */
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
 * app is activated through its lifecycle endpoint first (a PUT can't change `status`). A wrong federated claim is
 * fixed where it lives (a PUT of the claim); a duplicate definition is removed only with `removeDuplicateClaims`.
 */
export async function repairApp(
  okta: GuardDirectory,
  input: {
    appId: string;
    rules: AppConfigRules;
    /** The IdP issuer recorded with the confirmed certificate: a different one is put back. @default not known */
    recordedIdpIssuer?: string | undefined;
    /** Also rewrite a username template that differs from the pinned one (every agent's identity changes). */
    userNameTemplate?: boolean;
    /** Take over an app that is not Frontline's (`--adopt`): it is marked as this tool's. */
    adopt?: boolean;
    /** Delete the federated claims that duplicate a name (`--remove-duplicate-claims`). */
    removeDuplicateClaims?: boolean;
  },
): Promise<RepairResult> {
  const rules = withRecordedIdpIssuer(input.rules, input.recordedIdpIssuer);
  const raw = await okta.getApp(input.appId);
  const target = requireFrontlineApp(raw, rules, { adopt: input.adopt === true, flag: '--adopt' });
  const claims = await okta.listFederatedClaims(input.appId);
  const adopting = !target.frontline;
  const all = checkAppRules(raw, rules, claims);
  // Without their flags these are not ours to fix: they stay findings in `after`, never "not kept".
  const held = all.filter(
    (f) =>
      (f.path === USERNAME_TEMPLATE_PATH && input.userNameTemplate !== true) ||
      (DUPLICATE_CLAIM_PATH.test(f.path) && input.removeDuplicateClaims !== true),
  );
  const before = all.filter((f) => !held.includes(f));
  if (before.length === 0 && !adopting) {
    const result = { appId: input.appId, before, after: held, notKept: [], changed: false, activated: false };
    return { ...result, ok: held.length === 0 };
  }
  let activated = false;
  if (before.some((f) => f.path === 'status')) {
    await okta.activateApp(input.appId);
    activated = true;
  }
  const settingsDrift = before.filter((f) => f.path !== 'status' && !isClaimPath(f.path));
  if (settingsDrift.length > 0 || adopting) {
    // After an activation the app is re-read, so the full-replace PUT carries the current state, not the old one.
    const current = activated ? await okta.getApp(input.appId) : raw;
    const body = planRepair(current, settingsDrift, { userNameTemplate: input.userNameTemplate === true });
    await okta.replaceApp(input.appId, adopting ? withProductMark(body) : body);
  }
  const plan = planClaimRepair(claims, before, { removeDuplicates: input.removeDuplicateClaims === true });
  for (const claim of plan.replace) await okta.replaceFederatedClaim(input.appId, claim);
  for (const claim of plan.remove) await okta.deleteFederatedClaim(input.appId, claim.id);
  const after = checkAppRules(
    await okta.getApp(input.appId),
    rules,
    await okta.listFederatedClaims(input.appId),
  );
  const wrote = new Set(before.map((f) => f.path));
  const notKept = after.filter((f) => wrote.has(f.path));
  return {
    appId: input.appId,
    before,
    after,
    notKept,
    changed: settingsDrift.length > 0 || adopting || plan.replace.length + plan.remove.length > 0,
    activated,
    ok: after.length === 0,
  };
}
