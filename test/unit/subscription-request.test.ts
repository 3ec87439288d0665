import { describe, expect, it } from 'vitest';
import { OperationOutcomeError } from '#shared/fhir/operation-outcome';
import {
  FILTER_CRITERIA_URL,
  PAYLOAD_CONTENT_URL,
  SUBSCRIPTION_SECRET_URL,
} from '#shared/subscriptions/backport';
import { parseSubscriptionRequest } from '#shared/subscriptions/subscription-request';
import { refusal } from '../support/refusal.ts';

const ADMISSION = 'https://shared-care-record.org/fhir/SubscriptionTopic/admission';

/** A backport Subscription as a supplier would send it; `change` replaces top-level elements. */
function subscription(change: Record<string, unknown> = {}, channel: Record<string, unknown> = {}) {
  return {
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'Admissions of our patients',
    criteria: ADMISSION,
    _criteria: { extension: [{ url: FILTER_CRITERIA_URL, valueString: 'patient=Patient/9000000009' }] },
    channel: {
      type: 'rest-hook',
      endpoint: 'https://hooks.example.org/scr',
      payload: 'application/fhir+json',
      _payload: { extension: [{ url: PAYLOAD_CONTENT_URL, valueCode: 'id-only' }] },
      header: ['Authorization: Bearer abc'],
      ...channel,
    },
    ...change,
  };
}

describe('parseSubscriptionRequest', () => {
  it('reads the topic, filter, endpoint, headers and payload content of a backport Subscription', () => {
    const request = parseSubscriptionRequest(subscription(), false);

    expect(request.topic.code).toBe('admission');
    expect(request.filter).toEqual({ kind: 'patient', nhsNumber: '9000000009' });
    expect(request.endpoint).toMatchObject({ local: false });
    expect(request.endpoint.url.href).toBe('https://hooks.example.org/scr');
    expect(request.headers).toEqual([{ name: 'Authorization', value: 'Bearer abc' }]);
    expect(request.content).toBe('id-only');
  });

  it("accepts the backport's resource-type prefix and a practice filter", () => {
    const byPractice = subscription({
      _criteria: {
        extension: [{ url: FILTER_CRITERIA_URL, valueString: 'Encounter?general-practitioner=A81001' }],
      },
    });

    expect(parseSubscriptionRequest(byPractice, false).filter).toEqual({
      kind: 'general-practitioner',
      odsCode: 'A81001',
    });
  });

  it('keeps the secret apart and out of the resource to store', () => {
    const secret = { url: SUBSCRIPTION_SECRET_URL, valueString: 'a-secret-of-enough-length' };

    const request = parseSubscriptionRequest(subscription({ extension: [secret] }), false);

    expect(request.secret).toBe('a-secret-of-enough-length');
    expect(JSON.stringify(request.resource)).not.toContain('a-secret-of-enough-length');
    expect(request.resource.extension).toBeUndefined();
  });

  it('takes no payload as empty notifications', () => {
    const request = parseSubscriptionRequest(
      subscription({}, { payload: undefined, _payload: undefined }),
      false,
    );

    expect(request.content).toBe('empty');
  });

  it.each([
    ['an unknown topic', subscription({ criteria: 'https://example.org/SubscriptionTopic/x' }), 422],
    ['no filter', subscription({ _criteria: undefined }), 400],
    [
      'two filters',
      subscription({
        _criteria: {
          extension: [
            { url: FILTER_CRITERIA_URL, valueString: 'patient=Patient/9000000009' },
            { url: FILTER_CRITERIA_URL, valueString: 'general-practitioner=A81001' },
          ],
        },
      }),
      400,
    ],
    [
      'an NHS number failing its check digit',
      subscription({
        _criteria: { extension: [{ url: FILTER_CRITERIA_URL, valueString: 'patient=Patient/9000000008' }] },
      }),
      400,
    ],
    [
      'a filter on another parameter',
      subscription({ _criteria: { extension: [{ url: FILTER_CRITERIA_URL, valueString: 'code=1234' }] } }),
      400,
    ],
    ['a websocket channel', subscription({}, { type: 'websocket' }), 422],
    [
      'full-resource payloads',
      subscription(
        {},
        { _payload: { extension: [{ url: PAYLOAD_CONTENT_URL, valueCode: 'full-resource' }] } },
      ),
      422,
    ],
    ['an http endpoint', subscription({}, { endpoint: 'http://hooks.example.org/scr' }), 422],
    ['a private address', subscription({}, { endpoint: 'https://10.1.2.3/scr' }), 422],
    ['the metadata service', subscription({}, { endpoint: 'https://169.254.169.254/latest' }), 422],
    ['credentials in the URL', subscription({}, { endpoint: 'https://user:pw@hooks.example.org/' }), 422],
    ['a header the service sets', subscription({}, { header: ['X-Signature: sha256=forged'] }), 422],
    ['a malformed header', subscription({}, { header: ['no colon here'] }), 400],
    [
      'a short secret',
      subscription({ extension: [{ url: SUBSCRIPTION_SECRET_URL, valueString: 'short' }] }),
      400,
    ],
    ['an end in the past', subscription({ end: '2020-01-01T00:00:00Z' }), 422],
  ])('refuses %s', (_case, body, status) => {
    expect(refusal(OperationOutcomeError, () => parseSubscriptionRequest(body, false)).status).toBe(status);
  });

  it('accepts http://localhost and http://127.0.0.1 only where local endpoints are allowed', () => {
    for (const endpoint of ['http://localhost:8080/hook', 'http://127.0.0.1:9/hook']) {
      expect(parseSubscriptionRequest(subscription({}, { endpoint }), true).endpoint.local).toBe(true);
      expect(
        refusal(OperationOutcomeError, () => parseSubscriptionRequest(subscription({}, { endpoint }), false))
          .status,
      ).toBe(422);
    }
    expect(
      refusal(OperationOutcomeError, () =>
        parseSubscriptionRequest(subscription({}, { endpoint: 'http://10.0.0.1/hook' }), true),
      ).status,
    ).toBe(422);
  });
});
