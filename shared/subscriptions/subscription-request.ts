import type { Extension } from '@medplum/fhirtypes';
import { BadRequestError, UnprocessableEntityError } from '../fhir/operation-outcome.ts';
import {
  type BackportSubscription,
  FILTER_CRITERIA_URL,
  HEARTBEAT_PERIOD_URL,
  PAYLOAD_CONTENT_URL,
  type PayloadContent,
  SUBSCRIPTION_SECRET_URL,
} from './backport.ts';
import { parseFilterCriteria, type SubscriptionFilter } from './filter-criteria.ts';
import { type NotificationEndpoint, notificationEndpoint } from './notification-endpoint.ts';
import { type SubscriptionTopic, subscriptionTopics, topicByUrl } from './subscription-topics.ts';

/** A `channel.header` entry, split. */
export interface ChannelHeader {
  name: string;
  value: string;
}

/** What a `POST /Subscription` asks for, checked. */
export interface SubscriptionRequest {
  topic: SubscriptionTopic;
  filter: SubscriptionFilter;
  endpoint: NotificationEndpoint;
  headers: ChannelHeader[];
  content: PayloadContent;
  secret?: string;
  /** When the subscription stops matching events (`Subscription.end`). */
  end?: string;
  /** The Subscription to store and return: as sent, less the secret. */
  resource: BackportSubscription;
}

const MAX_HEADERS = 10;
const MAX_HEADER_LENGTH = 1024;
const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([^\r\n]*)$/;
/** Headers the service sets itself on every notification. */
const RESERVED_HEADERS = [
  'host',
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
  'x-signature',
  'user-agent',
];
const FHIR_JSON = ['application/fhir+json', 'application/json'];

/**
 * Checks a Subscription against what the service supports (CONTRACT §5): a known topic, exactly one filter,
 * a rest-hook channel to an acceptable endpoint, `id-only` or `empty` payloads, well-formed headers and an
 * optional signing secret. Base FHIR validation is the caller's.
 * @throws BadRequestError or UnprocessableEntityError naming the element at fault
 */
export function parseSubscriptionRequest(
  body: Record<string, unknown>,
  allowLocalEndpoints?: boolean,
): SubscriptionRequest {
  const subscription = body as unknown as BackportSubscription;
  const topic = topicByUrl(String(subscription.criteria ?? ''));
  if (!topic) {
    unprocessable(
      `criteria must be one of the service's topics: ${subscriptionTopics.map((t) => t.url).join(', ')}`,
      'Subscription.criteria',
      'not-supported',
    );
  }
  const filters = (subscription._criteria?.extension ?? []).filter((e) => e.url === FILTER_CRITERIA_URL);
  if (filters.length !== 1 || typeof filters[0]?.valueString !== 'string') {
    throw new BadRequestError(
      'criteria needs exactly one backport-filter-criteria extension (valueString): patient=Patient/{NHS number} or general-practitioner={ODS code}',
      'required',
      ['Subscription.criteria.extension'],
    );
  }
  const filter = parseFilterCriteria(filters[0].valueString);

  const { channel } = subscription;
  if (channel?.type !== 'rest-hook') {
    unprocessable('channel.type must be rest-hook', 'Subscription.channel.type', 'not-supported');
  }
  if (typeof channel.endpoint !== 'string') {
    throw new BadRequestError('channel.endpoint is required', 'required', ['Subscription.channel.endpoint']);
  }
  const endpoint = notificationEndpoint(channel.endpoint, allowLocalEndpoints);
  if ((channel.extension ?? []).some((e) => e.url === HEARTBEAT_PERIOD_URL)) {
    unprocessable('Heartbeat notifications are not supported', 'Subscription.channel.extension');
  }
  if (channel.payload !== undefined && !FHIR_JSON.includes(channel.payload)) {
    unprocessable('channel.payload must be application/fhir+json', 'Subscription.channel.payload');
  }
  const content = payloadContent(channel.payload, channel._payload?.extension);
  const headers = (channel.header ?? []).map(channelHeader);
  if (headers.length > MAX_HEADERS) {
    unprocessable(`At most ${MAX_HEADERS} channel.header values`, 'Subscription.channel.header');
  }
  const secret = secretOf(subscription);
  if (subscription.end !== undefined && !(Date.parse(subscription.end) > Date.now())) {
    unprocessable('end must be a time in the future', 'Subscription.end');
  }
  return {
    topic,
    filter,
    endpoint,
    headers,
    content,
    ...(secret !== undefined ? { secret } : {}),
    ...(subscription.end ? { end: new Date(subscription.end).toISOString() } : {}),
    resource: withoutSecret(subscription),
  };
}

function payloadContent(payload: string | undefined, extensions: Extension[] = []): PayloadContent {
  const code = extensions.find((e) => e.url === PAYLOAD_CONTENT_URL)?.valueCode;
  if (code === undefined) return payload === undefined ? 'empty' : 'id-only';
  if (code === 'id-only' || code === 'empty') return code;
  return unprocessable(
    `Payload content '${code}' is not offered: notifications carry id-only or empty payloads, never resources`,
    'Subscription.channel.payload.extension',
    'not-supported',
  );
}

function channelHeader(header: string, index: number): ChannelHeader {
  const match = HEADER.exec(header);
  const expression = `Subscription.channel.header[${index}]`;
  if (!match || header.length > MAX_HEADER_LENGTH) {
    throw new BadRequestError(
      `channel.header[${index}] must be 'Name: value' (at most ${MAX_HEADER_LENGTH} characters)`,
      'value',
      [expression],
    );
  }
  const [, name, value] = match as unknown as [string, string, string];
  if (RESERVED_HEADERS.includes(name.toLowerCase())) {
    unprocessable(`channel.header may not set ${name}: the service sets it`, expression);
  }
  return { name, value: value.trim() };
}

function secretOf(subscription: BackportSubscription): string | undefined {
  const secrets = [...(subscription.extension ?? []), ...(subscription.channel.extension ?? [])].filter(
    (e) => e.url === SUBSCRIPTION_SECRET_URL,
  );
  if (!secrets.length) return undefined;
  const value = secrets[0]?.valueString;
  if (secrets.length > 1 || typeof value !== 'string' || value.length < 16 || value.length > 256) {
    throw new BadRequestError(
      'The subscription-secret extension takes one valueString of 16 to 256 characters',
      'value',
      ['Subscription.extension'],
    );
  }
  return value;
}

function withoutSecret(subscription: BackportSubscription): BackportSubscription {
  const keep = (extensions: Extension[] | undefined) => {
    const kept = (extensions ?? []).filter((e) => e.url !== SUBSCRIPTION_SECRET_URL);
    return kept.length ? kept : undefined;
  };
  const { extension: _root, ...rest } = subscription;
  const { extension: _channel, ...channel } = subscription.channel;
  const rootExtensions = keep(subscription.extension);
  const channelExtensions = keep(subscription.channel.extension);
  return {
    ...rest,
    ...(rootExtensions ? { extension: rootExtensions } : {}),
    channel: { ...channel, ...(channelExtensions ? { extension: channelExtensions } : {}) },
  };
}

function unprocessable(
  diagnostics: string,
  expression: string,
  code: 'value' | 'not-supported' = 'value',
): never {
  throw new UnprocessableEntityError(diagnostics, [{ code, diagnostics, expression: [expression] }]);
}
