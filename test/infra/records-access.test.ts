import { RECORD_KINDS } from '../../src/dynamodb/keys';
import type { NodeFunction } from '../../infra/constructs/node-function';
import {
  configWith,
  logicalIdOf,
  resourcesOf,
  synthesize,
  SYNTH_TIMEOUT_MS,
  type Synthesized,
} from './helpers';

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** The DynamoDB statements of one function's role. */
function dynamoStatements({ stack, template }: Synthesized, fn: NodeFunction): Statement[] {
  const role = logicalIdOf(stack, fn.role);
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties?.Roles).includes(role))
    .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
}

const ON_IDENTITY_ITEMS = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${RECORD_KINDS.identity}*`] },
};

describe('Stack: who may touch which records', () => {
  let synthesized: Synthesized;
  let tableArn: unknown;
  beforeAll(() => {
    synthesized = synthesize(configWith());
    tableArn = { 'Fn::GetAtt': [logicalIdOf(synthesized.stack, synthesized.stack.records.table), 'Arn'] };
  }, SYNTH_TIMEOUT_MS);

  it('lets the worker get and put identity items, and get, put and delete recorded userType items, nothing else', () => {
    const statements = dynamoStatements(synthesized, synthesized.stack.worker);

    expect(statements).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: tableArn,
        Condition: ON_IDENTITY_ITEMS,
      }),
      expect.objectContaining({
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Resource: tableArn,
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${RECORD_KINDS.userType}*`] } },
      }),
    ]);
    expect(statements.filter((s) => s.Condition === undefined)).toEqual([]);
  });

  it('lets the reconcile read the certificate, get and put identity items, and scan for the listing', () => {
    const { stack } = synthesized;
    const statements = dynamoStatements(synthesized, stack.reconcile);
    const appId = configWith().appId as string;

    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 'dynamodb:GetItem',
          Resource: tableArn,
          Condition: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`${RECORD_KINDS.certificate}${appId}`] },
          },
        }),
        expect.objectContaining({
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          Resource: tableArn,
          Condition: ON_IDENTITY_ITEMS,
        }),
      ]),
    );
    // The one unconditioned statement is the listing's Scan (IAM cannot narrow a Scan by key); no item action.
    const unconditioned = statements.filter((s) => s.Condition === undefined);
    expect(unconditioned.flatMap(actionsOf).filter((a) => a !== 'dynamodb:Scan')).toEqual([]);
    expect(statements.flatMap(actionsOf)).not.toContain('dynamodb:DeleteItem');
    expect(JSON.stringify(statements)).not.toContain(RECORD_KINDS.userType);
  });
});
