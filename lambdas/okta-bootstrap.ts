import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createBootstrapHandler, type OnEventResponse } from '../src/bootstrap/handler';
import { loadBootstrapLambdaConfig } from '../src/bootstrap/lambda-config';
import { bootstrapLambdaDeps } from '../src/bootstrap/lambda-deps';

/*
 * The optional Okta bootstrap: CloudFormation custom resources (custom-resources Provider framework, onEvent)
 * that ensure the Frontline SAML app and the event hook (src/bootstrap/handler.ts). Configuration and clients at
 * cold start; the Okta client is built from the credentials secret on first need.
 */
const onEvent = createBootstrapHandler(
  bootstrapLambdaDeps(loadBootstrapLambdaConfig(process.env), new SecretsManagerClient({})),
);

export const handler = (event: CloudFormationCustomResourceEvent): Promise<OnEventResponse> => onEvent(event);
