import type { Bundle, Parameters } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { notificationBundle } from '#shared/notifications/notification-bundle';
import {
  notificationSignature,
  verifyNotificationSignature,
} from '#shared/notifications/notification-signature';
import type { DeliveryState } from '#shared/subscriptions/delivery-state';
import { statusBundle } from '#shared/subscriptions/status-operation';
import type { StoredSubscription } from '#shared/subscriptions/subscription-store';

const FHIR_BASE = 'https://scr.example.nhs.uk/FHIR/R4';
const active: DeliveryState = { status: 'active', eventsSinceStart: 6, delivered: 5, deadLettered: 0 };

function notification(content: 'id-only' | 'empty') {
  return notificationBundle({
    subscriptionId: 'sub-1',
    topicUrl: 'https://shared-care-record.org/fhir/SubscriptionTopic/admission',
    content,
    state: active,
    eventId: 'journal-1-0',
    event: { number: 7, timestamp: '2026-11-26T10:00:00.000Z', focus: 'Encounter/enc-1' },
    fhirBase: FHIR_BASE,
    assembled: new Date('2026-11-26T10:00:01.000Z'),
  });
}

const parameter = (status: Parameters, name: string) => status.parameter?.find((p) => p.name === name);

describe('notification bundle', () => {
  it('is a history Bundle whose first entry is the SubscriptionStatus Parameters answering $status', () => {
    const bundle = notification('id-only');
    const [first] = bundle.entry ?? [];
    const status = first?.resource as Parameters;

    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'history' });
    expect(bundle.meta?.profile).toEqual([
      'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-notification-r4',
    ]);
    expect(status.resourceType).toBe('Parameters');
    expect(status.meta?.profile).toEqual([
      'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4',
    ]);
    expect(first?.fullUrl).toBe(`urn:uuid:${status.id}`);
    expect(first?.request).toEqual({ method: 'GET', url: `${FHIR_BASE}/Subscription/sub-1/$status` });
    expect(parameter(status, 'subscription')?.valueReference?.reference).toBe(
      `${FHIR_BASE}/Subscription/sub-1`,
    );
    expect(parameter(status, 'status')?.valueCode).toBe('active');
    expect(parameter(status, 'type')?.valueCode).toBe('event-notification');
    expect(parameter(status, 'events-since-subscription-start')?.valueString).toBe('7');
  });

  it('names the focus by reference alone for id-only, with the topic', () => {
    const bundle = notification('id-only');
    const status = bundle.entry?.[0]?.resource as Parameters;
    const event = parameter(status, 'notification-event')?.part ?? [];

    expect(parameter(status, 'topic')?.valueCanonical).toBe(
      'https://shared-care-record.org/fhir/SubscriptionTopic/admission',
    );
    expect(event).toEqual([
      { name: 'event-number', valueString: '7' },
      { name: 'timestamp', valueInstant: '2026-11-26T10:00:00.000Z' },
      { name: 'focus', valueReference: { reference: `${FHIR_BASE}/Encounter/enc-1` } },
    ]);
    expect(bundle.entry?.[1]).toEqual({
      fullUrl: `${FHIR_BASE}/Encounter/enc-1`,
      request: { method: 'PUT', url: 'Encounter/enc-1' },
      response: { status: '200' },
    });
    expect(bundle.entry?.[1]?.resource).toBeUndefined();
  });

  it('carries neither focus nor topic for empty', () => {
    const bundle = notification('empty');
    const status = bundle.entry?.[0]?.resource as Parameters;

    expect(bundle.entry).toHaveLength(1);
    expect(parameter(status, 'topic')).toBeUndefined();
    expect(JSON.stringify(bundle)).not.toContain('Encounter/enc-1');
  });

  it('keeps its ids for every attempt at the same event, so a receiver can recognise a repeat', () => {
    expect(notification('id-only').id).toBe(notification('id-only').id);
    expect(notification('id-only').entry?.[0]?.fullUrl).toBe(notification('id-only').entry?.[0]?.fullUrl);
  });
});

describe('$status', () => {
  it('answers a searchset of query-status Parameters with the delivery counts and the last error', () => {
    const failing: DeliveryState = {
      status: 'error',
      eventsSinceStart: 3,
      delivered: 2,
      deadLettered: 1,
      lastError: 'The endpoint answered HTTP 503',
      lastErrorAt: '2026-11-26T10:05:00.000Z',
    };
    const bundle: Bundle = statusBundle(
      [{ subscription: { id: 'sub-1', topic: 'discharge' } as StoredSubscription, state: failing }],
      FHIR_BASE,
    );
    const status = bundle.entry?.[0]?.resource as Parameters;

    expect(bundle).toMatchObject({ type: 'searchset', total: 1 });
    expect(parameter(status, 'type')?.valueCode).toBe('query-status');
    expect(parameter(status, 'status')?.valueCode).toBe('error');
    expect(parameter(status, 'topic')?.valueCanonical).toBe(
      'https://shared-care-record.org/fhir/SubscriptionTopic/discharge',
    );
    expect(parameter(status, 'error')?.valueCodeableConcept?.text).toBe('The endpoint answered HTTP 503');
    expect(parameter(status, 'events-delivered')?.valueUnsignedInt).toBe(2);
    expect(parameter(status, 'events-dead-lettered')?.valueUnsignedInt).toBe(1);
  });
});

describe('notification signature', () => {
  it('is sha256= and the hex HMAC-SHA256 of the body (RFC 4231 test case 2)', () => {
    expect(notificationSignature('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('verifies only the exact body with the same secret', () => {
    const signature = notificationSignature('{"a":1}', 'a-very-long-secret');

    expect(verifyNotificationSignature('{"a":1}', 'a-very-long-secret', signature)).toBe(true);
    expect(verifyNotificationSignature('{"a":2}', 'a-very-long-secret', signature)).toBe(false);
    expect(verifyNotificationSignature('{"a":1}', 'another-long-secret', signature)).toBe(false);
  });
});
