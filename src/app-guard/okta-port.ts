import type { FederatedClaim } from '../domain/federated-claims';
import type { AppUser, GroupMember } from '../domain/reconcile-plan';
import type { IdpMetadata, RawApp } from '../domain/okta-app';
import type { SigningKey } from '../domain/signing-certificate';

export type { IdpMetadata, RawApp };

/**
 * What the guard (check, repair, setup, reconcile) needs from Okta: the guard's port, as OktaDirectory is the
 * worker's. src/okta/guard-directory.ts implements it over raw HTTP (the SDK's models would drop app fields).
 * Failures are our OktaError classes (src/okta/errors.ts), a missing object an OktaPermanentError of kind
 * `not-found`.
 */
export interface GuardDirectory {
  getApp(appId: string): Promise<RawApp>;
  /** A full replace: the whole raw object is sent. */
  replaceApp(appId: string, app: RawApp): Promise<RawApp>;
  /** Creates and activates the app. */
  createApp(app: RawApp): Promise<RawApp>;
  activateApp(appId: string): Promise<void>;
  /** Apps whose label is exactly `label`. */
  findAppsByLabel(label: string): Promise<RawApp[]>;
  listAppKeys(appId: string): Promise<SigningKey[]>;
  /** The app's federated claims (`/api/v1/apps/{appId}/federated-claims`): not part of the app object. */
  listFederatedClaims(appId: string): Promise<FederatedClaim[]>;
  /** PUTs the claim's name and expression back under its id. */
  replaceFederatedClaim(appId: string, claim: FederatedClaim): Promise<void>;
  deleteFederatedClaim(appId: string, claimId: string): Promise<void>;
  getIdpMetadata(appId: string, kid: string): Promise<IdpMetadata>;
  /** The group's members a page at a time, each with status and full profile. */
  listGroupMembers(groupId: string): AsyncIterable<GroupMember[]>;
  /** The app's users a page at a time; `userType` set when Okta embedded the user. */
  listAppUsers(appId: string): AsyncIterable<AppUser[]>;
  /** Sets an assignment's app username (Okta's "Update an application user"); its scope is kept. */
  updateAppUserName(appId: string, userId: string, userName: string): Promise<void>;
  /** Whether the group itself is assigned to the app (group mode's precondition). */
  isGroupAssignedToApp(appId: string, groupId: string): Promise<boolean>;
  /** Assigns the group to the app (`PUT /api/v1/apps/{appId}/groups/{groupId}`; a repeat is harmless). */
  assignGroupToApp(appId: string, groupId: string): Promise<void>;
  /** A user's `profile.userType` (null when unset), or `missing` when the user no longer exists. */
  getUserType(userId: string): Promise<string | null | 'missing'>;
  /**
   * The Okta user whose credential makes the calls (`GET /api/v1/users/me`): an API token's admin; undefined for a
   * service app, which acts as no user.
   */
  getSelfUserId(): Promise<string | undefined>;
}
