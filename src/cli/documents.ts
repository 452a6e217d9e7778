import type { Finding } from '../domain/app-config';
import type { ReconcilePlan } from '../domain/reconcile-plan';
import type { CertificateInfo } from '../domain/signing-certificate';
import type { FixUserNamesResult, IdentityReport } from '../reconcile/identity';
import type { ApplyResult } from '../reconcile/plan';
import type { RepairResult } from '../app-guard/repair';
import type { SetupResult } from '../app-guard/setup';
import type { GroupAssignmentState } from '../reconcile/assignments';
import type { ScopeGuardReport } from '../domain/scope-guard';
import type { StatusReport } from './status-report';
import type { IdentityCheck, identityStatus } from './identity-changes';
import type { ExplainReport } from '../ops/explain';
import type { DoctorReport } from '../ops/doctor';
import type { KeyFacts, RolloverState } from '../domain/certificate-rollover';
import type { PlannedStep, RolloverStep } from '../domain/rollover-steps';
import type { RolloverOutcome, RolloverView } from '../app-guard/certificate-rollover';

/*
 * The documents the CLI prints with `--json`, one per command: the contract scripts rely on. Keys whose value is
 * undefined are left out of the JSON. test/cli/documents.emulator.test.ts pins each shape.
 */

/** Any command that fails (bad usage, configuration, Okta): exit code 1. */
export interface ErrorDocument {
  ok: false;
  error: { name: string; message: string };
}

/** `check`: findings and the active signing certificate (without its PEM). */
export interface CheckDocument {
  ok: boolean;
  appId: string;
  findings: Finding[];
  certificate: Omit<CertificateInfo, 'pem'> | undefined;
  /**
   * `recorded` when no fingerprint was on record and this run recorded the current one as the baseline;
   * `confirmed` after `--confirm-certificate` replaced a recorded one; undefined when the record was used as is.
   */
  baseline: 'recorded' | 'confirmed' | undefined;
  /** Assignments whose username differs from the template (reported only); undefined without FRONTLINE_GROUP_ID. */
  identity: IdentityReport | undefined;
  /** Identities changed since recorded, NameIDs that are not the email (reported only); undefined without a group. */
  identities: IdentityCheck | undefined;
  /** Assignments whose scope contradicts the mode (src/domain/scope-guard.ts); undefined without FRONTLINE_GROUP_ID. */
  scopeGuard: ScopeGuardReport | undefined;
  /** Group mode: whether each Frontline group is assigned to the app (`would-assign` when not); else empty. */
  groupAssignments: GroupAssignmentState[];
}

/** `repair`: the findings before, after and not kept by Okta. */
export type RepairDocument = RepairResult & {
  /** Group mode, when the repair activated the app: the groups assigned again, so their members hold it again. */
  groupsAssignedAgain: string[];
};

/** `setup`: what was created or adopted, the repair, and the values Frontline's console needs. */
export type SetupDocument = SetupResult & { ok: boolean };

/** `hook register`: the hook as Okta reports it after verification and activation. */
export interface HookDocument {
  ok: boolean;
  action: 'created' | 'updated';
  hookId: string;
  status: string | undefined;
  verificationStatus: string | undefined;
  url: string;
  eventTypes: readonly string[];
}

/** `hook status`: the hook Okta delivers to, and the subscribed event types it lacks. */
export interface HookStatusDocument {
  ok: boolean;
  hookId: string;
  name: string;
  status: string | undefined;
  verificationStatus: string | undefined;
  url: string | undefined;
  eventTypes: readonly string[];
  missingEventTypes: readonly string[];
}

/** `reconcile`: the plan, and when it was applied, what happened to each write. */
export interface ReconcileDocument {
  ok: boolean;
  dryRun: boolean;
  appId: string;
  plan: ReconcilePlan;
  /** Assignments whose scope contradicts the assignment mode (src/domain/scope-guard.ts). */
  scopeGuard: ScopeGuardReport;
  /** Group mode: each Frontline group's assignment to the app (`would-assign` on a dry run); else empty. */
  groupAssignments: GroupAssignmentState[];
  result?: ApplyResult;
  /** Assignments whose username differs from the template. */
  identity?: IdentityReport;
  /** `--fix-usernames`: the usernames changed. */
  fixedUserNames?: FixUserNamesResult;
}

/** `status`: every part, what needs attention, and what could not be read. Exit 0 ok, 2 attention, 1 errors. */
export type StatusDocument = StatusReport & {
  ok: boolean;
  /** From serve's database, when there is one: identities recorded as changed since the last reconcile. */
  identities: ReturnType<typeof identityStatus> | undefined;
};

/** `explain`: what the user has, what they should have, and what a convergence would change, and why. */
export type ExplainDocument = ExplainReport & { ok: true };

/**
 * `cert rotate`: where the rollover stands (keys with their public certificates), what the step did (`planned` for
 * `--plan`, which changes nothing) and the steps in order. A step refused out of order is an ErrorDocument (exit 1).
 */
export interface CertRotateDocument {
  ok: true;
  appId: string;
  step: 'plan' | RolloverStep;
  action: 'planned' | RolloverOutcome['action'];
  message: string;
  state: RolloverState;
  rotation: RolloverView['rotation'];
  /** The certificate Frontline's console must hold once this step is through (`--plan`: the new one, if any). */
  certificate: KeyFacts | undefined;
  baselineRecorded: boolean;
  plan: PlannedStep[];
}

/** `doctor`: one entry per check; `ok` when none failed. */
export type DoctorDocument = DoctorReport & { ok: boolean };

export function withoutPem(certificate: CertificateInfo): Omit<CertificateInfo, 'pem'> {
  const { pem, ...rest } = certificate;
  void pem;
  return rest;
}
