import { createHash } from 'node:crypto';

/**
 * The Frontline users of one emulated account. Fields follow twilio-oai `spec/json/twilio_frontline_v1.json`
 * (`frontline.v1.user`). `activeSessions` is not in the API: it stands for the signed-in apps that deactivation
 * ends ("all active sessions … invalidated, and the user will be logged out", Twilio's Frontline User Resource
 * page), so tests and the walkthrough can see it happen.
 */
export interface FrontlineUserRecord {
  sid: string;
  identity: string;
  friendlyName: string | null;
  avatar: string | null;
  state: 'active' | 'deactivated';
  isAvailable: boolean;
  activeSessions: number;
}

/** The user's JSON as `GET/POST /v1/Users/{Sid}` answers it. */
export interface FrontlineUserJson {
  sid: string;
  identity: string;
  friendly_name: string | null;
  avatar: string | null;
  state: 'active' | 'deactivated';
  is_available: boolean;
  url: string;
}

/** `{Sid}` is a user sid when it has the spec's sid pattern; anything else is an identity. */
export const USER_SID_PATTERN = /^US[0-9a-fA-F]{32}$/;

/** A stable sid per identity, so runs and tests are reproducible. */
export function userSidFor(identity: string): string {
  return `US${createHash('sha256').update(identity).digest('hex').slice(0, 32)}`;
}

export interface SignInOptions {
  friendlyName?: string | null;
  avatar?: string | null;
}

export class FrontlineUsers {
  private readonly bySid = new Map<string, FrontlineUserRecord>();

  /** `{Sid}` from the path: a sid, or the identity matched case-sensitively (the spec: "is case-sensitive"). */
  public find(sidOrIdentity: string): FrontlineUserRecord | undefined {
    if (USER_SID_PATTERN.test(sidOrIdentity)) {
      const hit = this.bySid.get(sidOrIdentity);
      if (hit) return hit;
    }
    return [...this.bySid.values()].find((u) => u.identity === sidOrIdentity);
  }

  /**
   * A first SSO sign-in creates the user (the API has no create call); later sign-ins open another session.
   * New users are `active` and `is_available: false` ("Defaults to `false` for new users", the spec). What a
   * deactivated user's sign-in does is not documented; the emulator keeps them out (no session, no change).
   */
  public signIn(
    identity: string,
    options: SignInOptions = {},
  ): { user: FrontlineUserRecord; created: boolean } {
    const existing = this.find(identity);
    if (existing && existing.identity === identity) {
      if (existing.state === 'active') existing.activeSessions += 1;
      return { user: existing, created: false };
    }
    const user: FrontlineUserRecord = {
      sid: userSidFor(identity),
      identity,
      friendlyName: options.friendlyName ?? null,
      avatar: options.avatar ?? null,
      state: 'active',
      isAvailable: false,
      activeSessions: 1,
    };
    this.bySid.set(user.sid, user);
    return { user, created: true };
  }

  public all(): FrontlineUserRecord[] {
    return [...this.bySid.values()].sort((a, b) => (a.identity < b.identity ? -1 : 1));
  }

  public clear(): void {
    this.bySid.clear();
  }
}

export function userJson(baseUrl: string, u: FrontlineUserRecord): FrontlineUserJson {
  return {
    sid: u.sid,
    identity: u.identity,
    friendly_name: u.friendlyName,
    avatar: u.avatar,
    state: u.state,
    is_available: u.isAvailable,
    url: `${baseUrl}/v1/Users/${u.sid}`,
  };
}
