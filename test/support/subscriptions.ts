import { sandbox } from './sandbox-client.ts';

export const TOPIC = (code: string) => `https://shared-care-record.org/fhir/SubscriptionTopic/${code}`;
const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';
export const SECRET_URL = 'https://shared-care-record.org/fhir/StructureDefinition/subscription-secret';

/** A backport Subscription as a supplier writes it. */
export function subscriptionBody(options: {
  topic: string;
  filter: string;
  endpoint: string;
  content?: 'id-only' | 'empty' | 'full-resource';
  headers?: string[];
  secret?: string;
}) {
  return {
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'Tell our system about our patients',
    criteria: TOPIC(options.topic),
    _criteria: { extension: [{ url: `${BACKPORT}/backport-filter-criteria`, valueString: options.filter }] },
    ...(options.secret ? { extension: [{ url: SECRET_URL, valueString: options.secret }] } : {}),
    channel: {
      type: 'rest-hook',
      endpoint: options.endpoint,
      payload: 'application/fhir+json',
      _payload: {
        extension: [{ url: `${BACKPORT}/backport-payload-content`, valueCode: options.content ?? 'id-only' }],
      },
      ...(options.headers ? { header: options.headers } : {}),
    },
  };
}

/** An Encounter that admits (class IMP, in-progress) or discharges (finished) the patient. */
export function inpatientEncounter(nhs: string, status: 'in-progress' | 'finished' = 'in-progress') {
  return {
    resourceType: 'Encounter',
    status,
    class: {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: 'IMP',
      display: 'inpatient encounter',
    },
    subject: { reference: `Patient/${nhs}` },
  };
}

/** An active safeguarding Flag (SNOMED CT 836881000000105) on the patient. */
export function safeguardingFlag(nhs: string) {
  return {
    resourceType: 'Flag',
    status: 'active',
    code: {
      coding: [
        { system: 'http://snomed.info/sct', code: '836881000000105', display: 'Safeguarding concern' },
      ],
    },
    subject: { reference: `Patient/${nhs}` },
  };
}

/** The sandbox's own view of its queues (what ops would read off SQS), from `/_sandbox/events`. */
export async function sandboxQueues(): Promise<
  Record<
    string,
    {
      counts: Record<string, number>;
      consumer: Record<string, unknown>;
      deadLetters: {
        messageId: string;
        receiveCount: number;
        body: { subscriptionId: string; eventId: string };
      }[];
    }
  >
> {
  const state = (await (await fetch(`${sandbox().url}/_sandbox/events`)).json()) as { queues: never };
  return state.queues;
}

/** Switches a sandbox fault (`/_sandbox/faults`). */
export async function sandboxFault(faults: Record<string, string>): Promise<void> {
  const response = await fetch(`${sandbox().url}/_sandbox/faults`, {
    method: 'POST',
    body: JSON.stringify(faults),
  });
  if (response.status !== 200) throw new Error(`Fault switch refused: ${await response.text()}`);
}

/** A parameter of a SubscriptionStatus Parameters. */
export function statusParameter(parameters: Record<string, unknown> | undefined, name: string) {
  return (parameters?.parameter as { name: string; [value: string]: unknown }[] | undefined)?.find(
    (p) => p.name === name,
  );
}
