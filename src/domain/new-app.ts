import { DEFAULT_IDP_ISSUER, desiredAppConfig, type AppConfigOptions, type Json } from './app-config';
import { PRODUCT_MARK } from './app-target';
import { DEFAULT_USERNAME_TEMPLATE, userNameTemplateType } from './username-template';

/**
 * A complete custom SAML 2.0 app body for `POST /api/v1/apps?activate=true`: every `settings.signOn` field Okta's
 * spec marks required, set to the values Frontline needs (the rest to Okta's own defaults for a new app).
 */
export function newAppJson(realmSid: string, options: AppConfigOptions = {}): Json {
  const rules = desiredAppConfig(realmSid, options);
  // A new app has no admin choice to keep yet: the pinned template, else the Frontline guide's email.
  const userNameTemplate = rules.userNameTemplate ?? DEFAULT_USERNAME_TEMPLATE;
  return {
    label: rules.label,
    visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false } },
    features: [],
    signOnMode: 'SAML_2_0',
    credentials: {
      userNameTemplate: {
        template: userNameTemplate,
        type: userNameTemplateType(userNameTemplate),
      },
    },
    settings: {
      // Marks the app as this tool's, so later runs may repair it whatever its addresses become (./app-target.ts).
      notes: { admin: `${PRODUCT_MARK} (Frontline realm ${rules.realmSid})`, enduser: null },
      signOn: {
        defaultRelayState: '',
        ssoAcsUrl: rules.acsUrl,
        idpIssuer: DEFAULT_IDP_ISSUER,
        audience: rules.audience,
        recipient: rules.acsUrl,
        destination: rules.acsUrl,
        subjectNameIdTemplate: rules.subjectNameIdTemplate,
        subjectNameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
        responseSigned: true,
        assertionSigned: true,
        signatureAlgorithm: 'RSA_SHA256',
        digestAlgorithm: 'SHA256',
        honorForceAuthn: true,
        authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
        requestCompressed: false,
        allowMultipleAcsEndpoints: false,
        acsEndpoints: [],
        assertionEncryption: { enabled: false },
        attributeStatements: structuredClone(rules.attributeStatements),
      },
    },
  };
}
