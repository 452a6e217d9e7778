/*
 * The app's signing object (`credentials.signing`) with the rotation fields Okta reports beside `kid`
 * (Management API, `ApplicationCredentialsSigning`): `lastRotated` ("Timestamp when the signing key was last
 * rotated", read-only), `nextRotation` ("The scheduled time for the next signing key rotation", read-only) and
 * `rotationMode` ("The mode of key rotation").
 *
 * What Okta puts in them for a SAML app is not documented (the spec gives no values for apps; its examples show
 * `AUTO` and `MANUAL` for authorization servers). Okta never rotates a SAML app's key by itself: "Okta does not
 * automatically replace and activate a new certificate before the old one expires" (support.okta.com, "How to
 * Rotate Signing Certificate for custom SAML Applications"). So the emulator reports `MANUAL`, no `nextRotation`
 * (null), and `lastRotated` as the time the active key last changed (or the app got its first key). A client's
 * values for the three are ignored, as Okta ignores read-only fields on a PUT. Code under test must read them as
 * information only.
 */

export const SAML_ROTATION_MODE = 'MANUAL';

type Signing = Record<string, unknown>;

/**
 * The signing object to store when the active key is `kid` at `now`: the client's other fields kept, the rotation
 * fields the server's. `stored` is the signing object before this change (undefined for a new app).
 */
export function signingWithRotation(
  stored: Signing | undefined,
  sent: Signing | undefined,
  kid: string,
  now: string,
): Signing {
  const { lastRotated: _l, nextRotation: _n, rotationMode: _m, ...rest } = sent ?? {};
  const kept = stored?.kid === kid && typeof stored.lastRotated === 'string' ? stored.lastRotated : undefined;
  return { ...rest, kid, lastRotated: kept ?? now, nextRotation: null, rotationMode: SAML_ROTATION_MODE };
}
