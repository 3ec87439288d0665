import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface WebAclProps {
  /** Names the ACL, its metrics and its log group (`aws-waf-logs-<name>`, as WAF requires). */
  name: string;
  /** The API stage to protect (`RestApi.deploymentStage.stageArn`). */
  stageArn: string;
  /** Requests one IP address may make in any 5 minutes. */
  rateLimitPer5Minutes: number;
  logRetentionDays: number;
  logsKey: kms.IKey;
}

/**
 * AWS managed rule groups whose rules stay in count mode here, with why: the API's own checks cover them.
 * FHIR bodies are up to 5 MB (the handler answers 413 above that), and resource narratives are XHTML that the
 * FHIR validator checks against R4's narrative rules (no scripts, no event attributes).
 */
const COUNTED_RULES: Record<string, string[]> = {
  AWSManagedRulesCommonRuleSet: ['SizeRestrictions_BODY', 'CrossSiteScripting_BODY'],
};

/** The managed groups, in priority order. */
const MANAGED_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
];

/**
 * A regional WAF web ACL on the API stage: a per-IP rate limit, then AWS's IP reputation, common and known-bad-
 * inputs rule groups. Logs go to an encrypted log group with patient identifiers (path, query string, NHS headers)
 * and credentials redacted.
 */
export class WebAcl extends Construct {
  readonly acl: wafv2.CfnWebACL;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });

    const rateLimit: wafv2.CfnWebACL.RuleProperty = {
      name: 'RateLimitPerIp',
      priority: 0,
      action: { block: {} },
      statement: {
        rateBasedStatement: {
          limit: props.rateLimitPer5Minutes,
          aggregateKeyType: 'IP',
          evaluationWindowSec: 300,
        },
      },
      visibilityConfig: visibility(`${props.name}-rate-limit`),
    };
    const managed = MANAGED_GROUPS.map(
      (group, i): wafv2.CfnWebACL.RuleProperty => ({
        name: group,
        priority: i + 1,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name: group,
            ruleActionOverrides: (COUNTED_RULES[group] ?? []).map((name) => ({
              name,
              actionToUse: { count: {} },
            })),
          },
        },
        visibilityConfig: visibility(`${props.name}-${group}`),
      }),
    );

    this.acl = new wafv2.CfnWebACL(this, 'Acl', {
      name: props.name,
      description: 'Shared care record API: rate limit and AWS managed rule groups',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules: [rateLimit, ...managed],
      visibilityConfig: visibility(props.name),
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stageArn,
      webAclArn: this.acl.attrArn,
    });

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${props.name}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const header = (name: string): wafv2.CfnLoggingConfiguration.FieldToMatchProperty => ({
      singleHeader: { Name: name },
    });
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.acl.attrArn,
      // WAF wants the log group's ARN without the `:*` that CloudFormation's Arn attribute ends with.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: this.logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [
        { uriPath: {} },
        { queryString: {} },
        header('authorization'),
        header('nhsd-end-user-id'),
        header('nhsd-break-glass-reason'),
      ],
    });
  }
}
