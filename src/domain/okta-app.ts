/** An app as Okta's JSON has it, every field kept: a repair PUTs it back whole (Okta has no PATCH for apps). */
export type RawApp = Record<string, unknown>;

/** The three values Frontline's console needs, from Okta's IdP metadata document. */
export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  /** Base64 DER of the signing certificate. */
  certificate: string;
}
