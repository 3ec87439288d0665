import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFINITIONS_FOLDER, definitionsFolder } from '#shared/fhir/definitions/definitions-folder';
import { METRICS_NAMESPACE } from '#shared/observability/metric-names';
import type { FunctionDefinition } from '#shared/service/functions';

/** The repository root: entries in the function table are relative to it, and esbuild runs from it. */
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The Lambda Node.js runtime the service is written for. */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

export interface ServiceFunctionProps {
  /** The function's key in the function table (`fhir`), used as its Powertools service name. */
  name: string;
  definition: FunctionDefinition;
  /** Environment variables naming what the function's grants let it touch. */
  environment: Record<string, string>;
  logRetentionDays: number;
  logsKey: kms.IKey;
  /** Only for functions invoked asynchronously (event-rule targets): where failed invocations go. */
  deadLetterQueue?: sqs.IQueue;
  /** Expressions esbuild replaces with constants at build time (`define`). */
  define?: Record<string, string>;
}

/**
 * One Lambda function of the function table: bundled by the local esbuild into a minified ESM file with
 * source maps and the compiled FHIR definitions beside it, on arm64 and Node.js 24, with X-Ray tracing, its own encrypted log group and its own role.
 */
export class ServiceFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { definition } = props;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Its own role with write access to its own log group, instead of the account-wide managed policy.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Shared care record ${props.name} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${repositoryRoot}${definition.entry}`,
      handler: 'handler',
      projectRoot: repositoryRoot,
      depsLockFilePath: `${repositoryRoot}package-lock.json`,
      description: definition.description,
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: definition.memoryMb,
      timeout: Duration.seconds(definition.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.name,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        tsconfig: `${repositoryRoot}tsconfig.json`,
        // ESM output has no `require`; CommonJS packages bundled inside still call it.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        ...(props.define ? { define: props.define } : {}),
        // The compiled R4 definitions (about 150 KB zipped), read at first use from beside index.mjs, go into
        // the asset of each bundle that names their folder, i.e. that reaches the validator or search; files a
        // function declares (the viewer's styles) go into its assets/ folder.
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [
            `if grep -q "${DEFINITIONS_FOLDER}" "${outputDir}/index.mjs"; then mkdir -p "${outputDir}/${DEFINITIONS_FOLDER}" && cp -R "${definitionsFolder()}/." "${outputDir}/${DEFINITIONS_FOLDER}/"; fi`,
            ...bundledFileCopies(
              (definition.bundledFiles ?? []).map((f) => `${repositoryRoot}${f}`),
              outputDir,
            ),
          ],
        },
      },
    });
  }
}

/** esbuild hooks that copy files beside the bundle, into `assets/` (where shared/viewer/viewer-assets.ts reads them). */
function bundledFileCopies(files: string[], outputDir: string): string[] {
  if (!files.length) return [];
  return [`mkdir -p "${outputDir}/assets"`, ...files.map((f) => `cp "${f}" "${outputDir}/assets/"`)];
}
