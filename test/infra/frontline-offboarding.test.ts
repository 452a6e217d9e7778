import type { Template } from 'aws-cdk-lib/assertions';
import { ENV, FORBIDDEN_SECRET_ENV_NAMES } from '../../infra/lambda-env';
import type { FrontlineStack } from '../../infra/frontline-stack';
import type { NodeFunction } from '../../infra/constructs/node-function';
import { configWith, logicalIdOf, resourcesOf, synthesize, SYNTH_TIMEOUT_MS } from './helpers';

type Statement = { Action: string | string[]; Resource: unknown };

describe('Stack: Frontline offboarding (Twilio secret, identities, grants)', () => {
  let stack: FrontlineStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesize(configWith()));
  }, SYNTH_TIMEOUT_MS);

  const envOf = (fn: NodeFunction) =>
    (
      resourcesOf(template, 'AWS::Lambda::Function')[logicalIdOf(stack, fn.function)]?.Properties
        ?.Environment as { Variables: Record<string, unknown> }
    ).Variables;

  /** Every statement of the policies attached to the function's role. */
  function statementsOf(fn: NodeFunction): Statement[] {
    const role = logicalIdOf(stack, fn.function.role as unknown as { node: { defaultChild?: unknown } });
    return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties?.Roles).includes(role))
      .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
  }
  const dynamoActions = (fn: NodeFunction) =>
    statementsOf(fn)
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
      .filter((a) => a.startsWith('dynamodb:'))
      .sort();
  const readsTwilioSecret = (fn: NodeFunction) =>
    statementsOf(fn).some((s) =>
      JSON.stringify(s.Resource).includes(logicalIdOf(stack, stack.secrets.twilioCredentials)),
    );

  it('creates the Twilio credentials secret with a placeholder for ops to replace, never a credential', () => {
    const secret = resourcesOf(template, 'AWS::SecretsManager::Secret')[
      logicalIdOf(stack, stack.secrets.twilioCredentials)
    ];
    expect(JSON.parse(String(secret?.Properties?.SecretString))).toEqual({
      note: 'Not set yet: put the Twilio credentials (docs/deploy.md)',
    });
  });

  it('tells the worker and the reconcile where the secret and the identities are, by ARN and name only', () => {
    for (const fn of [stack.worker, stack.reconcile]) {
      const env = envOf(fn);
      expect(JSON.stringify(env[ENV.twilioCredentialsSecretArn])).toContain(
        logicalIdOf(stack, stack.secrets.twilioCredentials),
      );
      expect(JSON.stringify(env[ENV.recordsTableName])).toContain(logicalIdOf(stack, stack.records.table));
      for (const name of ['TWILIO_AUTH_TOKEN', 'TWILIO_API_SECRET']) {
        expect(FORBIDDEN_SECRET_ENV_NAMES).toContain(name);
        expect(env).not.toHaveProperty(name);
      }
    }
  });

  it('grants the worker GetItem, PutItem (and DeleteItem on recorded userTypes), the reconcile GetItem, Scan and identity PutItem, and the receiver nothing', () => {
    expect(dynamoActions(stack.worker)).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:PutItem',
    ]);
    // GetItem: the confirmed-certificate record, which the reconcile reads on every run (its own item only); GetItem
    // and PutItem on identity items, to record members' identities from its listing.
    expect(dynamoActions(stack.reconcile)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Scan',
    ]);
    const identityWrites = statementsOf(stack.reconcile).filter((st) =>
      JSON.stringify(st.Action).includes('dynamodb:PutItem'),
    );
    expect(identityWrites).toEqual([
      expect.objectContaining({
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['identity#*'] } },
      }),
    ]);
    expect(dynamoActions(stack.receiver)).toEqual([]);
    expect(readsTwilioSecret(stack.worker)).toBe(true);
    expect(readsTwilioSecret(stack.reconcile)).toBe(true);
    expect(readsTwilioSecret(stack.receiver)).toBe(false);
  });
});
