import type { AppConfigRules } from './app-config';
import type { RawApp } from './okta-app';

/*
 * Whether an app is Frontline's before anything writes to it: `FRONTLINE_APP_ID` or a label pointing at another SAML
 * app (a "Salesforce" app) must not turn that app into Frontline's and break its sign-in for everyone. Pure.
 */

/** Written into an app this product creates (`settings.notes.admin`, shown to admins in Okta's console). */
export const PRODUCT_MARK = 'Managed by Frontline Okta Provisioner';

/** The addresses a SAML app sends its assertions to, or names as its audience. */
const ADDRESS_FIELDS = ['ssoAcsUrl', 'recipient', 'destination', 'audience'] as const;

/** Any Twilio SAML service provider address (a Frontline realm's ACS URL or audience). */
const TWILIO_SAML_PREFIX = 'https://iam.twilio.com/v2/saml2/';

export type AppTarget =
  | { frontline: true; why: 'points-at-realm' | 'points-at-twilio' | 'created-by-product' }
  | { frontline: false; reason: string };

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Frontline's app: a SAML 2.0 app that still points at this realm in at least one of its addresses (so a drifted
 * app can be repaired), or one this product created (its mark). Without rules (no Realm SID configured) an app that
 * points at any Twilio SAML realm counts. Anything else is refused with its label and what it points at.
 */
export function identifyApp(
  app: RawApp,
  rules: Pick<AppConfigRules, 'acsUrl' | 'audience'> | undefined,
): AppTarget {
  const settings = (app.settings ?? {}) as { signOn?: Record<string, unknown>; notes?: { admin?: unknown } };
  const signOn = settings.signOn ?? {};
  const addresses = ADDRESS_FIELDS.map((f) => text(signOn[f])).filter((a): a is string => a !== undefined);
  const mine = rules ? [rules.acsUrl, rules.audience].map((a) => a.toLowerCase()) : [];
  const saml = app.signOnMode === 'SAML_2_0';
  if (text(settings.notes?.admin)?.includes(PRODUCT_MARK) && saml)
    return { frontline: true, why: 'created-by-product' };
  if (saml && rules && addresses.some((a) => mine.includes(a.toLowerCase()))) {
    return { frontline: true, why: 'points-at-realm' };
  }
  if (saml && !rules && addresses.some((a) => a.toLowerCase().startsWith(TWILIO_SAML_PREFIX))) {
    return { frontline: true, why: 'points-at-twilio' };
  }
  const label = text(app.label) ?? '(no label)';
  const pointsAt =
    addresses.length > 0 ? `points at ${[...new Set(addresses)].join(', ')}` : 'points nowhere';
  return {
    frontline: false,
    reason:
      `app ${text(app.id) ?? '?'} "${label}" is not Frontline's: a ${text(app.signOnMode) ?? 'non-SAML'} app that ` +
      `${pointsAt}, ${rules ? `not at ${rules.acsUrl}` : 'not at a Twilio Frontline realm'}, and was not created by ` +
      'this tool',
  };
}
