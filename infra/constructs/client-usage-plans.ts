import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { usagePlanKey } from '#shared/http/usage-plan-key';
import { DEFAULT_CLIENT_THROTTLE, type SupplierClientConfig } from '../config/types.ts';

export interface ClientUsagePlansProps {
  api: apigateway.RestApi;
  clients: readonly SupplierClientConfig[];
}

/**
 * One usage plan per supplier client, throttling it on its own so one busy or faulty system cannot use up the
 * stage's capacity for the others. The plan's API key carries the value the authorizer names for that client.
 */
export class ClientUsagePlans extends Construct {
  readonly plans: Record<string, apigateway.UsagePlan> = {};

  constructor(scope: Construct, id: string, props: ClientUsagePlansProps) {
    super(scope, id);
    const stage = props.api.deploymentStage;
    for (const client of props.clients) {
      const throttle = client.throttle ?? DEFAULT_CLIENT_THROTTLE;
      const key = new apigateway.ApiKey(this, `${client.clientId}Key`, {
        value: usagePlanKey(client.clientId),
        description: `Usage plan key of ${client.name} (${client.organisations.join(', ')}); named by the authorizer, never sent`,
      });
      const plan = new apigateway.UsagePlan(this, `${client.clientId}Plan`, {
        description: `${client.name} (${client.organisations.join(', ')})`,
        throttle,
        apiStages: [{ api: props.api, stage }],
      });
      plan.addApiKey(key);
      this.plans[client.clientId] = plan;
    }
  }
}
