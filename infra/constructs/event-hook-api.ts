import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export const EVENT_HOOK_PATH = '/okta/event-hook';

export interface EventHookApiProps {
  readonly receiver: IFunction;
  readonly throttle: { rateLimit: number; burstLimit: number };
  readonly logRetention: RetentionDays;
}

/**
 * The public endpoint Okta calls: an HTTP API (cheaper and faster than a REST API, and all we need) with one
 * route, `GET|POST /okta/event-hook`. Everything else answers 404 from API Gateway without invoking anything.
 * Authentication is the hook secret, checked by the receiver itself (Okta can only send a static header).
 */
export class EventHookApi extends Construct {
  public readonly api: HttpApi;
  public readonly stage: HttpStage;
  public readonly routes: HttpRoute[];
  public readonly accessLogs: LogGroup;

  public constructor(scope: Construct, id: string, props: EventHookApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'Receives Okta event hooks for the Frontline provisioner',
      // Our own stage below carries the throttling and access logs.
      createDefaultStage: false,
    });
    this.routes = this.api.addRoutes({
      path: EVENT_HOOK_PATH,
      methods: [HttpMethod.GET, HttpMethod.POST],
      integration: new HttpLambdaIntegration('Receiver', props.receiver),
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        // JSON, one line per request; no headers (the hook secret travels in one) and no body.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
  }

  /** The URL to register in Okta. */
  public get eventHookUrl(): string {
    // The $default stage's URL ends with "/"; the route path starts with one.
    return `${this.api.apiEndpoint}${EVENT_HOOK_PATH}`;
  }
}
