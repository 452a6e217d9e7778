import { SamlSignInError } from './errors';

/**
 * The roles Frontline knows. Twilio's "Single Sign-On Overview" (https://www.twilio.com/docs/frontline/sso,
 * "Identity Attributes and Frontline Roles") has the IdP send `email` and `roles`, a list of roles; every guide
 * (Okta, Google, Azure AD, AWS) gives `agent` as the value, and no Twilio page names another Frontline role
 * (supervisors and admins are Flex roles, not Frontline ones). So `agent` is the only value accepted.
 */
export const FRONTLINE_ROLES: readonly string[] = ['agent'];

/** The attribute names Frontline reads, exactly: "email" and "roles" are case-sensitive (Twilio's Okta guide). */
const REQUIRED = ['email', 'roles'] as const;

export interface FrontlineAttributes {
  email: string;
  roles: string[];
  friendlyName: string | undefined;
}

/**
 * Frontline's reading of the attribute statement. Error codes: 70252 for attribute names sent in another case
 * ("Email", "Roles") and 70002 for a user without the agent role, as a Twilio engineer recorded them setting up
 * Okta for Frontline (tigerfarm/work `book/Frontline/READMEokta.md`: "That Okta configuration mistake caused an
 * 70252 error", "70002 is for an Okta user not set with the Agent value") — a secondary source, the only one.
 */
export function frontlineAttributes(attributes: Map<string, string[]>): FrontlineAttributes {
  for (const name of REQUIRED) {
    if (attributes.has(name)) continue;
    const nearly = [...attributes.keys()].find((k) => k.toLowerCase() === name);
    if (nearly !== undefined) {
      throw new SamlSignInError(
        403,
        70252,
        `the attribute is named "${nearly}", not "${name}": Frontline reads the names email and roles exactly, in lower case`,
      );
    }
  }
  const email = attributes.get('email')?.[0];
  if (email === undefined) {
    throw new SamlSignInError(403, 'email_missing', 'the assertion has no email attribute value');
  }
  const roles = attributes.get('roles') ?? [];
  if (roles.length === 0) {
    throw new SamlSignInError(
      403,
      70002,
      'the assertion has no roles value: Frontline signs in only users whose roles attribute is agent',
    );
  }
  const unknown = roles.filter((r) => !FRONTLINE_ROLES.includes(r));
  if (unknown.length > 0) {
    throw new SamlSignInError(
      403,
      70002,
      `roles is ${roles.map((r) => `"${r}"`).join(', ')}: Frontline knows only the role agent`,
    );
  }
  return { email, roles, friendlyName: friendlyNameOf(attributes) };
}

/**
 * Twilio does not say which attribute sets a new user's `friendly_name`; the emulator takes `displayName`, else
 * `firstName` and `lastName`, when the IdP sends them (Frontline's guides send neither, so the NameID is used).
 */
function friendlyNameOf(attributes: Map<string, string[]>): string | undefined {
  const display = attributes.get('displayName')?.[0];
  if (display) return display;
  const parts = [attributes.get('firstName')?.[0], attributes.get('lastName')?.[0]].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : undefined;
}
