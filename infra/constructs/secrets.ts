import { SecretValue } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Key of the generated value inside the hook secret's JSON; the receiver reads `{current, previous?}`. */
export const HOOK_SECRET_CURRENT_KEY = 'current';

/**
 * The two secrets. Lambdas receive their ARNs and fetch values at cold start; no value is ever in the template
 * or in an environment variable. Deleting the stack schedules their deletion with Secrets Manager's recovery window.
 */
export class ProvisionerSecrets extends Construct {
  /** `{"current": "<generated>"}`; during a rotation ops put `{"current": new, "previous": old}` (runbook). */
  public readonly hookSecret: Secret;
  /** `{"apiToken"}` or `{"clientId","privateKey","keyId"?}`, put by ops after the first deploy (docs/deploy.md). */
  public readonly oktaCredentials: Secret;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.hookSecret = new Secret(this, 'HookSecret', {
      description:
        'Okta event hook shared secret: {"current": "...", "previous"?: "..."} (see docs/runbook.md)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: HOOK_SECRET_CURRENT_KEY,
        // Header-safe characters only: Okta sends it verbatim in an HTTP header.
        excludePunctuation: true,
        passwordLength: 48,
      },
    });
    this.oktaCredentials = new Secret(this, 'OktaCredentials', {
      description:
        'Okta API credentials: {"apiToken": "..."} or {"clientId", "privateKey", "keyId"} (see docs/deploy.md)',
      // A placeholder, not a credential: it makes the first run fail with "needs apiToken, or clientId and
      // privateKey" instead of a confusing parse error, until ops put the real value.
      secretObjectValue: {
        note: SecretValue.unsafePlainText('Not set yet: put the Okta credentials (docs/deploy.md)'),
      },
    });
  }
}
