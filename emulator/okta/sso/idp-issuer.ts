import type { AppRecord } from '../org/records';
import { idpEntityId } from '../saml';

/** The placeholder of Okta's default `idpIssuer`: the app instance's external key (`exk…`). */
const EXTERNAL_KEY = '${org.externalKey}';

/**
 * The app's IdP issuer: the Issuer of the Response and the Assertion and the `entityID` of the IdP metadata.
 * `settings.signOn.idpIssuer` is the "SAML Issuer ID" (Apps API, SamlApplicationSettingsSignOn); the Admin
 * Console's "SAML Issuer ID" overrides "the default value of http://www.okta.com/$(org.externalKey)", the External
 * Key being the app instance's (help.okta.com/en-us/Content/Topics/Apps/aiw-saml-reference.htm). Okta documents no
 * other expression in this field, so only `${org.externalKey}` is rendered and any other text is sent as written.
 * Blank means no override: the default.
 */
export function idpIssuerOf(app: AppRecord): string {
  const signOn = (app.json.settings as { signOn?: { idpIssuer?: unknown } } | undefined)?.signOn;
  const configured = signOn?.idpIssuer;
  if (typeof configured !== 'string' || configured.trim() === '') return idpEntityId(app.issuerId);
  return configured.split(EXTERNAL_KEY).join(app.issuerId);
}
