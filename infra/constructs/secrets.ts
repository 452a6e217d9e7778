import { Aws, SecretValue } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Key of the generated value inside the hook secret's JSON; the receiver reads `{current, previous?}`. */
export const HOOK_SECRET_CURRENT_KEY = 'current';

export interface ProvisionerSecretsProps {
  /** Complete ARN (with its 6-character suffix) of a secret that already holds the Okta credentials. */
  readonly existingOktaCredentialsSecretArn?: string | undefined;
  /**
   * ARN of the customer-managed KMS key that encrypts that existing secret. Every `grantRead` of the secret then
   * also grants `kms:Decrypt` on this key, only through Secrets Manager (`kms:ViaService`).
   * @default the secret uses the AWS managed key aws/secretsmanager, which needs no grant
   */
  readonly existingOktaCredentialsKmsKeyArn?: string | undefined;
}

/**
 * The secrets (hook, Okta, Twilio). Lambdas receive their ARNs and fetch values at cold start; no value is ever in the template
 * or in an environment variable. Deleting the stack schedules their deletion with Secrets Manager's recovery window.
 */
export class ProvisionerSecrets extends Construct {
  /** `{"current": "<generated>"}`; during a rotation ops put `{"current": new, "previous": old}` (runbook). */
  public readonly hookSecret: Secret;
  /**
   * `{"apiToken"}` or `{"clientId","privateKey","keyId"?}`: created here and put by ops after the first deploy
   * (docs/deploy.md), or an existing secret named in the config (so bootstrap can run on the very first deploy).
   */
  public readonly oktaCredentials: ISecret;
  /** The credentials secret when this stack created it (undefined when it was imported). */
  public readonly createdOktaCredentials: Secret | undefined;
  /** The customer-managed key of an imported credentials secret, if any. */
  public readonly oktaCredentialsKmsKeyArn: string | undefined;
  /**
   * `{"accountSid","apiKeySid","apiKeySecret"}` (a Standard API key, preferred) or `{"accountSid","authToken"}`,
   * put by ops (docs/deploy.md). Until then it holds a placeholder and Frontline offboarding stays off.
   */
  public readonly twilioCredentials: Secret;

  public constructor(scope: Construct, id: string, props: ProvisionerSecretsProps = {}) {
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
    this.twilioCredentials = new Secret(this, 'TwilioCredentials', {
      description:
        'Twilio credentials for Frontline offboarding: {"accountSid","apiKeySid","apiKeySecret"} or {"accountSid","authToken"} (see docs/deploy.md)',
      // A placeholder, not a credential: the worker reads it as "not set yet" and leaves Frontline alone.
      secretObjectValue: {
        note: SecretValue.unsafePlainText('Not set yet: put the Twilio credentials (docs/deploy.md)'),
      },
    });
    if (props.existingOktaCredentialsSecretArn) {
      this.createdOktaCredentials = undefined;
      this.oktaCredentials = Secret.fromSecretCompleteArn(
        this,
        'OktaCredentials',
        props.existingOktaCredentialsSecretArn,
      );
      this.oktaCredentialsKmsKeyArn = props.existingOktaCredentialsKmsKeyArn;
      return;
    }
    this.createdOktaCredentials = new Secret(this, 'OktaCredentials', {
      description:
        'Okta API credentials: {"apiToken": "..."} or {"clientId", "privateKey", "keyId"} (see docs/deploy.md)',
      // A placeholder, not a credential: it makes the first run fail with "needs apiToken, or clientId and
      // privateKey" instead of a confusing parse error, until ops put the real value.
      secretObjectValue: {
        note: SecretValue.unsafePlainText('Not set yet: put the Okta credentials (docs/deploy.md)'),
      },
    });
    this.oktaCredentials = this.createdOktaCredentials;
    this.oktaCredentialsKmsKeyArn = undefined;
  }

  /**
   * Read access to the Okta credentials: the secret, and with a customer-managed key `kms:Decrypt` on that key
   * only when Secrets Manager asks on the caller's behalf (`kms:ViaService`). Written out because CDK's grantRead
   * drops the key grant for a key imported into an environment-agnostic stack (it sees another account).
   */
  public grantReadOktaCredentials(grantee: IGrantable): void {
    this.oktaCredentials.grantRead(grantee);
    if (!this.oktaCredentialsKmsKeyArn) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.oktaCredentialsKmsKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }
}
