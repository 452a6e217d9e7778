import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, type IDependable } from 'constructs';
import { BOOTSTRAP_RESOURCE_TYPES, BOOTSTRAP_TIMEOUTS } from '../../src/bootstrap/resource-types';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import { bootstrapEnvironment } from '../lambda-env';
import { NodeFunction } from './node-function';

export { BOOTSTRAP_RESOURCE_TYPES };

/** A handler that died without answering fails the deploy a minute after its own timeout, not after an hour. */
const SERVICE_TIMEOUT = Duration.seconds(BOOTSTRAP_TIMEOUTS.handlerSeconds + 60);

export interface OktaBootstrapProps {
  /** lambdas/okta-bootstrap.ts */
  readonly entry: string;
  readonly oktaOrgUrl: string;
  /** Read access is granted by the stack (ProvisionerSecrets.grantReadOktaCredentials, KMS key included). */
  readonly oktaCredentials: ISecret;
  readonly realmSid: string;
  readonly appLabel: string;
  /** Adopt this app instead of finding it by label or creating it. */
  readonly appId?: string | undefined;
  /** Pins the app's username template; undefined keeps an adopted app's own (a new app gets `${source.email}`). */
  readonly usernameTemplate?: string | undefined;
  /** `group`: the bootstrap also assigns each of `groupIds` to the app (group mode's precondition, as `setup` does). */
  readonly assignmentMode: 'user' | 'group';
  readonly groupIds: readonly string[];
  readonly logRetention: RetentionDays;
}

export interface EventHookRegistrationProps {
  readonly url: string;
  readonly hookSecret: ISecret;
  readonly authHeader: string;
  /** What must be live before Okta's verification call reaches the URL (the API stage, route, receiver). */
  readonly dependsOn: IDependable[];
}

/**
 * Deploy-time Okta setup, when the config's `bootstrap` is true: two Lambda-backed custom resources, one handler.
 * - the SAML app (created from the Realm SID, or adopted and repaired); its id feeds the Lambdas' environment
 *   and its SSO URL, issuer and certificate become stack outputs. Deleting the stack never deletes the app.
 * - the event hook at the API's URL, registered, verified and activated, for the event types in its properties
 *   (a changed list updates the hook on deploy). Retained on removal and replacement: turning the bootstrap off
 *   or deleting the stack never stops event delivery; ops deactivate a hook on purpose (docs/runbook.md).
 * They are separate because the hook's verification needs the receiver live, and the receiver needs the app id.
 */
export class OktaBootstrap extends Construct {
  public readonly handler: NodeFunction;
  public readonly app: CustomResource;

  public constructor(scope: Construct, id: string, props: OktaBootstrapProps) {
    super(scope, id);
    this.handler = new NodeFunction(this, 'Handler', {
      entry: props.entry,
      description: 'CloudFormation custom resource: ensures the Frontline SAML app and the Okta event hook',
      // Loads the Okta SDK (~300 ms at 128 MB) and makes a handful of calls; 512 MB keeps it quick.
      memorySize: 512,
      // Outlasts one rate-limited Okta call plus the rest of the run: the arithmetic is at BOOTSTRAP_TIMEOUTS.
      timeout: Duration.seconds(BOOTSTRAP_TIMEOUTS.handlerSeconds),
      environment: bootstrapEnvironment({
        oktaOrgUrl: props.oktaOrgUrl,
        oktaCredentialsSecretArn: props.oktaCredentials.secretArn,
      }),
      logRetention: props.logRetention,
      // CloudFormation invokes it asynchronously and waits for its answer; a retry would only race the first run.
      retryAttempts: 0,
    });

    // The handler answers CloudFormation itself (no Provider framework, whose failure reasons carry stack
    // frames). New construct ids: CloudFormation can't change a custom resource's ServiceToken in place.
    this.app = new CustomResource(this, 'OktaApp', {
      serviceToken: this.handler.function.functionArn,
      serviceTimeout: SERVICE_TIMEOUT,
      resourceType: BOOTSTRAP_RESOURCE_TYPES.app,
      properties: {
        RealmSid: props.realmSid,
        AppLabel: props.appLabel,
        ...(props.usernameTemplate === undefined ? {} : { UsernameTemplate: props.usernameTemplate }),
        ...(props.appId ? { AppId: props.appId } : {}),
        // Only in group mode, so a user-mode stack's resource keeps its properties (no needless update).
        ...(props.assignmentMode === 'group'
          ? { AssignmentMode: 'group', ...groupProperties(props.groupIds) }
          : {}),
      },
    });
  }

  public get appId(): string {
    return this.app.getAttString('AppId');
  }
  public get ssoUrl(): string {
    return this.app.getAttString('SsoUrl');
  }
  public get issuer(): string {
    return this.app.getAttString('Issuer');
  }
  public get certificate(): string {
    return this.app.getAttString('CertificatePem');
  }
  public get certificateFingerprint(): string {
    return this.app.getAttString('CertificateSha256');
  }

  /** Registers the hook; the handler reads the hook secret's `current` value itself (never a property). */
  public registerEventHook(props: EventHookRegistrationProps): CustomResource {
    props.hookSecret.grantRead(this.handler.function);
    const hook = new CustomResource(this, 'OktaEventHook', {
      serviceToken: this.handler.function.functionArn,
      serviceTimeout: SERVICE_TIMEOUT,
      resourceType: BOOTSTRAP_RESOURCE_TYPES.eventHook,
      properties: {
        Url: props.url,
        HookSecretArn: props.hookSecret.secretArn,
        AuthHeader: props.authHeader,
        AppId: this.appId,
        EventTypes: [...SUBSCRIBED_EVENT_TYPES],
      },
    });
    // No Delete reaches the handler, on removal or on replacement: a live hook is deactivated only on purpose.
    hook.applyRemovalPolicy(RemovalPolicy.RETAIN);
    for (const dependency of props.dependsOn) hook.node.addDependency(dependency);
    return hook;
  }
}

/** One group keeps the one-group property (no update for a stack deployed before several groups); more: a list. */
function groupProperties(groupIds: readonly string[]): Record<string, string | string[]> {
  return groupIds.length === 1 && groupIds[0] ? { GroupId: groupIds[0] } : { GroupIds: [...groupIds] };
}
