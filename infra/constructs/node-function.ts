import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Newest Node.js Lambda runtime this aws-cdk-lib knows (cdk-nag's LambdaLatestVersion wants the newest). */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;
/** esbuild target matching LAMBDA_RUNTIME. */
const ESBUILD_TARGET = 'node24';

export interface NodeFunctionProps {
  /** Absolute path of the handler file (exports `handler`). */
  readonly entry: string;
  readonly description: string;
  /** In MB. Required: every function states (and explains) its own instead of Lambda's silent 128 MB. */
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
  /**
   * Retries Lambda makes on its own after a failed asynchronous invocation (here only the scheduled reconcile is
   * invoked asynchronously). @default 2 (Lambda's default)
   */
  readonly retryAttempts?: number;
}

/**
 * A Node.js Lambda built the one way this project deploys them: bundled by the local esbuild (no Docker, so
 * `cdk synth` works offline on any machine with `npm ci`), CommonJS because the Okta SDK is CommonJS, minified
 * with source maps beside the code (not applied at run time), arm64 (cheaper per ms, and nothing here is
 * native), active tracing, and its own log group with a retention (instead of the LogRetention custom resource, which would add a Lambda of its own) that is
 * the only one its role may write to (instead of AWSLambdaBasicExecutionRole's any-log-group grant).
 */
export class NodeFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly logGroup: LogGroup;
  public readonly role: Role;

  /**
   * Lets this function invoke `target` (the prompt app check: an async invoke of the reconcile function), on the
   * function's own ARN only: `grantInvoke` would add its versions too (`:*`).
   */
  public allowInvoke(target: IFunction): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.functionArn] }),
    );
  }

  public constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // Logs are evidence of what was provisioned; keep them if the stack goes away.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (execution role)`.slice(0, 1000),
    });
    this.logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      role: this.role,
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      // No NODE_OPTIONS=--enable-source-maps. Measured on the synthesized bundles (`npx cdk synth`, then
      // `node [--enable-source-maps] -e "require('<asset>/index.js')"`, median of 15 interleaved runs, Node 20,
      // shared 2-core machine): worker 744 → 964 ms, reconcile 977 → 1279 ms, receiver 278 → 313 ms. Node parses
      // each map (up to 6 MB) at load, so every cold start would pay 200–300 ms here (60–80 ms on Lambda) for
      // stack traces only a rare crash needs; the logged error name and message are what the runbook works from.
      environment: props.environment,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      ...(props.retryAttempts === undefined ? {} : { retryAttempts: props.retryAttempts }),
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.CJS,
        target: ESBUILD_TARGET,
        minify: true,
        // The map ships in the asset (cdk.out) to map a logged frame offline; Node does not load it.
        sourceMap: true,
        // Stack traces map back to files and lines; the sources themselves need not ship.
        sourcesContent: false,
        // Everything is bundled, the AWS SDK too: the code runs with the exact versions the tests ran with.
        externalModules: [],
      },
    });
  }
}
