import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '#shared/service/events';

/**
 * The deployment's own EventBridge bus, carrying the record's events (`Encounter.Admitted`, ...) with an
 * archive of everything the service published, so a subscriber can be replayed after an outage.
 */
export class ServiceEventBus extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;

  constructor(
    scope: Construct,
    id: string,
    props: { eventBusName: string; encryptionKey: kms.IKey; archiveRetentionDays: number },
  ) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: props.eventBusName,
      description: 'Shared care record events: references and codes, never clinical content',
      kmsKey: props.encryptionKey,
    });
    this.archive = this.bus.archive('Archive', {
      description: 'Every event the shared care record published, for replay',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(props.archiveRetentionDays),
      kmsKey: props.encryptionKey,
    });
  }
}
