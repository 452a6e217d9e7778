import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { z } from 'zod';
import { SUBSCRIBED_EVENT_TYPES } from '../src/domain/hook-events';
import { setupApp } from '../src/guard/setup';
import { staticFingerprintStore } from '../src/guard/state-file';
import { oktaJson, type RawOktaClient } from '../src/okta/apps';
import { createOktaClient, OKTA_SCOPES } from '../src/okta/client';
import { OktaPermanentError } from '../src/okta/errors';
import { registerEventHook } from '../src/okta/event-hooks';
import { parseHookSecrets } from '../src/secrets/hook-secret';
import { parseOktaCredentialsSecret } from '../src/secrets/okta-credentials';

/*
 * CloudFormation custom resource handler (custom-resources Provider framework, onEvent) for the optional Okta
 * bootstrap (infra/constructs/okta-bootstrap.ts). Two resource types:
 * - Custom::FrontlineOktaApp: create the Frontline SAML app from the Realm SID, or adopt (by id or label) and
 *   repair it; answer with what Frontline's console needs. Delete never deletes the app: it may be in use.
 * - Custom::FrontlineOktaEventHook: register (create or update), verify and activate the event hook at the API's
 *   URL with the hook secret's current value. Delete deactivates it (Okta keeps it; an admin may delete it).
 */

export const RESOURCE_TYPES = {
  app: 'Custom::FrontlineOktaApp',
  eventHook: 'Custom::FrontlineOktaEventHook',
};
export const EVENT_HOOK_NAME = 'Frontline provisioner';

/** What the Provider framework expects back from onEvent. Data values become `Fn::GetAtt` attributes. */
export interface OnEventResponse {
  PhysicalResourceId: string;
  Data?: Record<string, string>;
}

export class BootstrapError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BootstrapError';
  }
}

// CloudFormation passes every property as a string.
const AppPropsSchema = z.object({
  RealmSid: z.string().min(1),
  AppLabel: z.string().min(1),
  UsernameTemplate: z.string().min(1),
  AppId: z.string().min(1).optional(),
});
const EventHookPropsSchema = z.object({
  Url: z.url({ protocol: /^https$/ }),
  HookSecretArn: z.string().min(1),
  AuthHeader: z.string().min(1),
  Name: z.string().min(1).optional(),
});
const EnvSchema = z.object({
  OKTA_ORG_URL: z.url({ protocol: /^https?$/ }),
  OKTA_CREDENTIALS_SECRET_ARN: z.string().min(1),
});

export interface BootstrapDeps {
  /** The Okta client, built from the credentials secret (called only when a request needs Okta). */
  okta: () => Promise<RawOktaClient>;
  /** SecretString of a secret, by ARN. */
  readSecret: (arn: string) => Promise<string>;
  setupApp: typeof setupApp;
  registerEventHook: typeof registerEventHook;
  deactivateEventHook: (client: RawOktaClient, hookId: string) => Promise<void>;
  logger: Pick<Logger, 'info' | 'warn'>;
  now: () => Date;
}

export function createBootstrapHandler(deps: BootstrapDeps) {
  return async function onEvent(event: CloudFormationCustomResourceEvent): Promise<OnEventResponse> {
    const physicalId = event.RequestType === 'Create' ? undefined : event.PhysicalResourceId;
    deps.logger.info('custom resource request', {
      requestType: event.RequestType,
      resourceType: event.ResourceType,
      logicalResourceId: event.LogicalResourceId,
      physicalResourceId: physicalId,
    });
    switch (event.ResourceType) {
      case RESOURCE_TYPES.app:
        if (event.RequestType === 'Delete') {
          // Never delete the app: users sign in to Frontline with it, and an admin may have tuned it.
          return { PhysicalResourceId: event.PhysicalResourceId };
        }
        return ensureApp(
          deps,
          parseProps(AppPropsSchema, event.ResourceProperties, event.ResourceType),
          // On update, keep the app this resource already manages (a label change must not create a second app).
          physicalId && /^0oa[0-9A-Za-z]+$/.test(physicalId) ? physicalId : undefined,
        );
      case RESOURCE_TYPES.eventHook:
        if (event.RequestType === 'Delete') return deactivateHook(deps, event.PhysicalResourceId);
        return ensureHook(
          deps,
          parseProps(EventHookPropsSchema, event.ResourceProperties, event.ResourceType),
        );
      default:
        throw new BootstrapError(`unknown resource type ${event.ResourceType}`);
    }
  };
}

async function ensureApp(
  deps: BootstrapDeps,
  props: z.infer<typeof AppPropsSchema>,
  currentAppId: string | undefined,
): Promise<OnEventResponse> {
  const client = await deps.okta();
  const result = await deps.setupApp(client, {
    realmSid: props.RealmSid,
    appId: props.AppId ?? currentAppId,
    label: props.AppLabel,
    userNameTemplate: props.UsernameTemplate,
    // The deployed reconcile reads the confirmed fingerprint from its environment; nothing to store here.
    fingerprints: staticFingerprintStore(undefined),
    now: deps.now(),
  });
  deps.logger.info('Frontline app ensured', {
    appId: result.appId,
    action: result.action,
    certificateSha256: result.console.certificate.fingerprintSha256,
  });
  return {
    PhysicalResourceId: result.appId,
    Data: {
      AppId: result.appId,
      Action: result.action,
      SsoUrl: result.console.idpSsoUrl,
      Issuer: result.console.idpIssuer,
      CertificatePem: result.console.certificatePem,
      CertificateSha256: result.console.certificate.fingerprintSha256,
      CertificateExpiresAt: result.console.certificate.expiresAt,
    },
  };
}

async function ensureHook(
  deps: BootstrapDeps,
  props: z.infer<typeof EventHookPropsSchema>,
): Promise<OnEventResponse> {
  const { current } = parseHookSecrets(await deps.readSecret(props.HookSecretArn), 'event hook secret');
  const client = await deps.okta();
  const result = await deps.registerEventHook(client, {
    name: props.Name ?? EVENT_HOOK_NAME,
    url: props.Url,
    eventTypes: SUBSCRIBED_EVENT_TYPES,
    authHeader: props.AuthHeader,
    secret: current,
  });
  deps.logger.info('event hook registered', {
    hookId: result.hook.id,
    action: result.action,
    status: result.hook.status,
    verificationStatus: result.hook.verificationStatus,
  });
  if (!result.verified || !result.active) {
    throw new BootstrapError(
      `event hook ${result.hook.id} is ${result.hook.status ?? 'unknown'}/${result.hook.verificationStatus ?? 'unknown'}, not ACTIVE/VERIFIED: check that ${props.Url} answers Okta's verification (receiver logs)`,
    );
  }
  return { PhysicalResourceId: result.hook.id, Data: { HookId: result.hook.id } };
}

/**
 * Deactivates (not deletes) the hook. A failure is logged, not thrown: a stuck stack deletion helps nobody, and a
 * hook left active only sends events to an endpoint that no longer exists (runbook: deactivate it by hand).
 */
async function deactivateHook(deps: BootstrapDeps, hookId: string): Promise<OnEventResponse> {
  try {
    await deps.deactivateEventHook(await deps.okta(), hookId);
    deps.logger.info('event hook deactivated', { hookId });
  } catch (error) {
    if (error instanceof OktaPermanentError && error.kind === 'not-found') {
      deps.logger.info('event hook already gone', { hookId });
    } else {
      deps.logger.warn(
        'could not deactivate the event hook; deactivate it in Okta (Workflow > Event Hooks)',
        {
          hookId,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        },
      );
    }
  }
  return { PhysicalResourceId: hookId };
}

function parseProps<T>(schema: z.ZodType<T>, properties: Record<string, unknown>, resourceType: string): T {
  const parsed = schema.safeParse(properties);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
      .join('; ');
    throw new BootstrapError(`${resourceType} properties: ${problems}`);
  }
  return parsed.data;
}

export async function deactivateEventHook(client: RawOktaClient, hookId: string): Promise<void> {
  await oktaJson(
    client,
    `/api/v1/eventHooks/${encodeURIComponent(hookId)}/lifecycle/deactivate`,
    `deactivate event hook ${hookId}`,
    {
      method: 'POST',
    },
  );
}

/** Wiring for Lambda: configuration and clients at cold start, the Okta client built on first need. */
function lambdaDeps(env: NodeJS.ProcessEnv): BootstrapDeps {
  const parsedEnv = EnvSchema.safeParse(env);
  if (!parsedEnv.success) {
    throw new BootstrapError(
      `invalid environment: ${parsedEnv.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join('; ')}`,
    );
  }
  const { OKTA_ORG_URL, OKTA_CREDENTIALS_SECRET_ARN } = parsedEnv.data;
  const secretsManager = new SecretsManagerClient({});
  const readSecret = async (arn: string): Promise<string> => {
    const response = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn }));
    if (response.SecretString === undefined) throw new BootstrapError(`secret ${arn} has no string value`);
    return response.SecretString;
  };
  return {
    okta: async () => {
      const parsed = parseOktaCredentialsSecret(
        await readSecret(OKTA_CREDENTIALS_SECRET_ARN),
        OKTA_SCOPES,
        'Okta credentials secret (put it first: docs/deploy.md)',
      );
      // A deploy can wait out one rate-limit reset; the handler's timeout allows it.
      return createOktaClient({
        orgUrl: parsed.orgUrl ?? OKTA_ORG_URL,
        credentials: parsed.credentials,
        maxRateLimitRetries: 1,
      });
    },
    readSecret,
    setupApp,
    registerEventHook,
    deactivateEventHook,
    logger: new Logger({ serviceName: 'frontline-okta-bootstrap' }),
    now: () => new Date(),
  };
}

let onEvent: ReturnType<typeof createBootstrapHandler> | undefined;

export const handler = (event: CloudFormationCustomResourceEvent): Promise<OnEventResponse> => {
  onEvent ??= createBootstrapHandler(lambdaDeps(process.env));
  return onEvent(event);
};
