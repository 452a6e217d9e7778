import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  IDENTITY_CHANGE_MEANING,
  identityChanges,
  recordedRenames,
  type IdentityChange,
} from '../domain/identity-changes';
import type { IdentityRecord } from '../domain/identity-record';
import {
  describeNameIdEmail,
  nameIdEmailDifferences,
  type NameIdEmailDifference,
} from '../domain/name-id-email';
import type { AppUser, GroupMember } from '../domain/reconcile-plan';
import { DynamoIdentityStore } from '../dynamodb/identity-store';
import { readIdentityRecords } from '../sqlite/read-identities';

/*
 * The identity part of `check` and `status`: agents whose Frontline identity (their app username, the SAML NameID)
 * changed since the last run recorded it, and, in `check`, agents whose NameID is not their email. Read only.
 */

export interface IdentityCheck {
  /** App users whose username is not the identity on record; undefined when there are no records to compare. */
  changedSinceRecorded: IdentityChange[] | undefined;
  /** Assigned members whose NameID (app username) is not their email. */
  nameIdNotEmail: NameIdEmailDifference[];
}

/** The records: a deployed stack's records table when named, else serve's database (never created here). */
async function recordsOf(
  dataDir: string,
  recordsTable: string | undefined,
): Promise<IdentityRecord[] | undefined> {
  if (recordsTable)
    return new DynamoIdentityStore({ client: new DynamoDBClient({}), tableName: recordsTable }).listAll();
  return readIdentityRecords(dataDir);
}

export async function identityCheck(
  listing: { members: readonly GroupMember[]; appUsers: readonly AppUser[] },
  where: { dataDir: string; recordsTable: string | undefined },
): Promise<IdentityCheck> {
  const records = await recordsOf(where.dataDir, where.recordsTable);
  return {
    changedSinceRecorded: records && identityChanges(records, listing.appUsers),
    nameIdNotEmail: nameIdEmailDifferences(listing.members, listing.appUsers),
  };
}

export function describeIdentityCheck(check: IdentityCheck): string[] {
  const lines: string[] = [];
  const changed = check.changedSinceRecorded ?? [];
  if (changed.length > 0) {
    lines.push(
      `Identity changed since the last run: ${changed.length} agent(s) whose app username is not the Frontline ` +
        `identity on record; ${IDENTITY_CHANGE_MEANING}. The next run (or the worker, on Okta's event) records it.`,
    );
    for (const c of changed) lines.push(`  ${c.userId}: "${c.recorded}" → "${c.current}"`);
  }
  const note = describeNameIdEmail(check.nameIdNotEmail);
  if (note) lines.push(note);
  return lines;
}

/**
 * `status`: identities recorded as changed since the last reconcile (all of them before one ran), from serve's
 * database, which the caller knows exists.
 */
export function identityStatus(
  dataDir: string,
  lastReconcileAt: string | undefined,
): { changedSinceLastRun: number; since: string | undefined } {
  const records = readIdentityRecords(dataDir) ?? [];
  return { changedSinceLastRun: recordedRenames(records, lastReconcileAt).length, since: lastReconcileAt };
}

export function describeIdentityStatus(s: {
  changedSinceLastRun: number;
  since: string | undefined;
}): string {
  const when = s.since ? 'since the last reconcile' : 'so far';
  return s.changedSinceLastRun === 0
    ? `Identities    none changed ${when}`
    : `Identities    ${s.changedSinceLastRun} changed ${when}: ${IDENTITY_CHANGE_MEANING}`;
}
