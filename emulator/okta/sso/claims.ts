import type { FederatedClaimRecord } from '../org/records';
import type { SamlAttribute } from './attributes';
import { ExpressionError, SsoRefusedError } from './errors';
import { evaluateExpression, type ElScope, type ElValue } from './expression';

/**
 * The NameFormat Okta gives a federated claim's attribute: a claim has no namespace, and the SAML attribute
 * statement in Okta's federated-claims guide ("Obtain the SAML attribute statement") carries
 * `urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified`.
 */
const UNSPECIFIED = 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified';

/**
 * One `<saml2:Attribute>` per federated claim ("a claim that will be included in tokens produced by federation
 * protocols (for example … SAML Assertions)"), `Name` = the claim's name, one value per element of the expression's
 * result (the guide's example sends a string array as several AttributeValues). The expression is Identity Engine
 * Expression Language (`scope.dialect` must be `identity-engine`); a claim whose value comes out null is left out,
 * as attribute statements are, and one the emulator can't evaluate refuses the sign-in rather than guess. Whether
 * Okta sends a claim and a legacy statement of the same name both, and in which order, is not documented: the
 * emulator sends both, statements first (see ../README.md).
 */
export function claimAttributes(
  claims: readonly FederatedClaimRecord[] | undefined,
  scope: ElScope,
): SamlAttribute[] {
  const attributes: SamlAttribute[] = [];
  for (const claim of claims ?? []) {
    let value: ElValue;
    try {
      value = evaluateExpression(claim.expression, scope);
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      throw new SsoRefusedError('expression', `federated claim "${claim.name}": ${err.message}`, {
        cause: err,
      });
    }
    const values = (Array.isArray(value) ? value : [value]).filter((v) => v !== null).map(String);
    if (values.length > 0) attributes.push({ name: claim.name, nameFormat: UNSPECIFIED, values });
  }
  return attributes;
}
