import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cloudFormationResponder } from '../src/bootstrap/cfn-response';
import { createBootstrapHandler } from '../src/bootstrap/handler';
import { loadBootstrapLambdaConfig } from '../src/bootstrap/lambda-config';
import { bootstrapLambdaDeps } from '../src/bootstrap/lambda-deps';

/*
 * The optional Okta bootstrap: a Lambda-backed CloudFormation custom resource handler that ensures the Frontline
 * SAML app and the event hook (src/bootstrap/handler.ts) and answers CloudFormation itself
 * (src/bootstrap/cfn-response.ts). Configuration and clients at cold start; the Okta client on first need.
 */
export const handler = cloudFormationResponder(
  createBootstrapHandler(
    bootstrapLambdaDeps(loadBootstrapLambdaConfig(process.env), new SecretsManagerClient({})),
  ),
);
