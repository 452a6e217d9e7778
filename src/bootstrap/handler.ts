import type { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { z } from 'zod';
import type { SetupInput, SetupResult } from '../app-guard/setup';
import { staticFingerprintStore } from '../app-guard/fingerprint-store';
import type { RawOktaClient } from '../okta/http';
import type { registerEventHook } from '../okta/event-hooks';
import { parseHookSecrets } from '../secrets/hook-secret';
import { BootstrapError } from './errors';
import { ASSIGNMENT_MODES } from '../domain/policy';
import { BOOTSTRAP_RESOURCE_TYPES, EVENT_HOOK_NAME } from './resource-types';

/*
 * CloudFormation custom resource handler for the optional Okta bootstrap (infra/constructs/okta-bootstrap.ts);
 * src/bootstrap/cfn-response.ts sends its answer to CloudFormation. Two resource types:
 * - Custom::FrontlineOktaApp: create the Frontline SAML app from the Realm SID, or adopt (by id or label) and
 *   repair it; in group mode assign the Frontline group to it; answer with what Frontline's console needs. Delete
 *   never deletes the app: it may be in use.
 * - Custom::FrontlineOktaEventHook: register (create or update), verify and activate the event hook at the API's
 *   URL with the hook secret's current value, for the event types in its properties. Delete leaves it alone.
 */

/** A custom resource's answer (src/bootstrap/cfn-response.ts sends it). Data values become `Fn::GetAtt` attributes. */
export interface OnEventResponse {
  PhysicalResourceId: string;
  Data?: Record<string, string>;
}

// CloudFormation passes every scalar property as a string (a list stays a list of strings).
const AppPropsSchema = z.object({
  RealmSid: z.string().min(1),
  AppLabel: z.string().min(1),
  UsernameTemplate: z.string().min(1).optional(),
  AppId: z.string().min(1).optional(),
  // Group mode: the bootstrap assigns the Frontline group to the app, as `setup` does.
  AssignmentMode: z.enum(ASSIGNMENT_MODES).optional(),
  // One group keeps the one-group property (a stack deployed before several groups sees no change); more: GroupIds.
  GroupId: z
    .string()
    .regex(/^00g[0-9A-Za-z]+$/, 'must be an Okta group id (00g…)')
    .optional(),
  GroupIds: z.array(z.string().regex(/^00g[0-9A-Za-z]+$/, 'must be an Okta group id (00g…)')).optional(),
});
const EventHookPropsSchema = z.object({
  Url: z.url({ protocol: /^https$/ }),
  HookSecretArn: z.string().min(1),
  AuthHeader: z.string().min(1),
  Name: z.string().min(1).optional(),
  // The subscription is a property so that changing the list and deploying updates the hook in Okta.
  EventTypes: z.array(z.string().min(1)).min(1),
});

export interface BootstrapDeps {
  /** The Okta client, built from the credentials secret (called only when a request needs Okta). */
  okta: () => Promise<RawOktaClient>;
  /** SecretString of a secret, by ARN. */
  readSecret: (arn: string) => Promise<string>;
  /** src/app-guard/setup.ts over the client (the Lambda wires it through the guard's Okta adapter). */
  setupApp: (client: RawOktaClient, input: SetupInput) => Promise<SetupResult>;
  registerEventHook: typeof registerEventHook;
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
      case BOOTSTRAP_RESOURCE_TYPES.app:
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
      case BOOTSTRAP_RESOURCE_TYPES.eventHook:
        if (event.RequestType === 'Delete') return keepHook(deps, event.PhysicalResourceId);
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
    ...(props.AssignmentMode === 'group'
      ? {
          assignmentMode: 'group' as const,
          groupIds: [...(props.GroupId ? [props.GroupId] : []), ...(props.GroupIds ?? [])],
        }
      : {}),
    // The deployed reconcile reads the confirmed fingerprint from its environment; nothing to store here.
    fingerprints: staticFingerprintStore(undefined),
    now: deps.now(),
  });
  deps.logger.info('Frontline app ensured', {
    appId: result.appId,
    action: result.action,
    certificateSha256: result.console.certificate.fingerprintSha256,
    groupAssignments: result.groupAssignments,
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
      // `assigned` when this run assigned any Frontline group, `already-assigned` when all were (group mode only).
      ...(result.groupAssignments.length > 0
        ? {
            GroupAssignment: result.groupAssignments.some((g) => g.action === 'assigned')
              ? 'assigned'
              : 'already-assigned',
          }
        : {}),
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
    eventTypes: props.EventTypes,
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
 * Leaves the hook as it is. The resource is retained on removal and replacement (DeletionPolicy Retain), so this
 * runs only if that policy is taken off: a hook is deactivated on purpose, by `npm run cli -- hook deactivate`
 * (docs/runbook.md), never as a side effect of a deploy, because events stop until someone notices.
 */
function keepHook(deps: BootstrapDeps, hookId: string): OnEventResponse {
  deps.logger.info('event hook kept: deactivate it deliberately (npm run cli -- hook deactivate)', {
    hookId,
  });
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
