import { describe, expect, it } from 'vitest';
import type { OrganisationRole } from '#shared/access/supplier-client';
import { officialExample, ukPatient } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { sandbox } from '../support/sandbox-client.ts';

/**
 * CONTRACT §4, relationships from care context, over HTTP: issue 12's findings 3 ("one write buys lasting
 * access") and 7 ("anyone can impose an objection"), and how a relationship starts and ends.
 */

async function registered(): Promise<string> {
  const nhs = newNhsNumber();
  expect((await fhirFetch('gp', `/Patient/${nhs}`, { method: 'PUT', body: ukPatient(nhs) })).status).toBe(
    201,
  );
  return nhs;
}

const condition = (nhs: string) => ({
  ...officialExample('condition-example.json'),
  subject: { reference: `Patient/${nhs}` },
});

/** An Encounter the organisation is seeing the patient in now (open), or one that ended on `ended`. */
const encounter = (nhs: string, ended?: string) => ({
  resourceType: 'Encounter',
  status: ended ? 'finished' : 'in-progress',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
  subject: { reference: `Patient/${nhs}` },
  period: { start: '2024-12-02T09:00:00Z', ...(ended ? { end: ended } : {}) },
});

const objection = (nhs: string) => ({
  ...officialExample('consent-example.json'),
  patient: { reference: `Patient/${nhs}` },
  provision: { type: 'deny' },
});

async function post(role: OrganisationRole, body: Record<string, unknown>) {
  return fhirFetch(role, `/${body.resourceType as string}`, { method: 'POST', body });
}

async function published(detailType: string, nhs: string) {
  const state = (await (await fetch(`${sandbox().url}/_sandbox/events`)).json()) as {
    published: { 'detail-type': string; detail: { patient: string; organisation: string } }[];
  };
  return state.published
    .filter((e) => e['detail-type'] === detailType && e.detail.patient === `Patient/${nhs}`)
    .map((e) => e.detail.organisation);
}

describe('finding 3: one write buys lasting access', () => {
  it('a contribution without a relationship is refused (403) and gives no access', async () => {
    const nhs = await registered();
    expect((await fhirFetch('community', `/Patient/${nhs}/$everything`)).status).toBe(403);
    const written = await post('community', condition(nhs));
    expect(written.status).toBe(403);
    expect(written.body.resourceType).toBe('OperationOutcome');
    expect((await fhirFetch('community', `/Patient/${nhs}/$everything`)).status).toBe(403);
    const gpView = await fhirFetch('gp', `/Condition?patient=Patient/${nhs}`);
    expect(gpView.body.entry ?? []).toEqual([]);
  });

  it('a deleted care context ends the relationship it claimed', async () => {
    const nhs = await registered();
    const claimed = await post('community', encounter(nhs));
    expect(claimed.status).toBe(201);
    expect((await fhirFetch('community', `/Patient/${nhs}/$everything`)).status).toBe(200);
    const deleted = await fhirFetch('community', `/Encounter/${claimed.body.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await fhirFetch('community', `/Patient/${nhs}/$everything`)).status).toBe(403);
    expect((await post('community', condition(nhs))).status).toBe(403);
  });

  it('a care context that ended longer ago than the grace period gives no relationship', async () => {
    const nhs = await registered();
    expect((await post('community', encounter(nhs, '2025-01-31T17:00:00Z'))).status).toBe(403);
    expect((await fhirFetch('community', `/Patient/${nhs}`)).status).toBe(403);
  });
});

describe('recording a care context is the claim of a relationship', () => {
  it('is allowed without one, sets serviceProvider, is audited and announced as Access.RelationshipStarted', async () => {
    const nhs = await registered();
    const claimed = await post('community', encounter(nhs));
    expect(claimed.status).toBe(201);
    expect(claimed.body.serviceProvider).toEqual({ reference: 'Organization/RX2' });
    expect((await post('community', condition(nhs))).status).toBe(201);
    await expect
      .poll(() => published('Access.RelationshipStarted', nhs), { timeout: 15_000 })
      .toEqual(['RX2']);
    const trail = await fhirFetch(
      'auditor',
      `/AuditEvent?patient=Patient/${nhs}&subtype=relationship-started`,
    );
    expect(trail.status).toBe(200);
    const starts = (trail.body.entry ?? []) as {
      resource: { agent: { who: { identifier: { value: string } } }[] };
    }[];
    expect(starts.map((e) => e.resource.agent[1]?.who.identifier.value)).toEqual(['RX2']);
  });

  it('refuses an Encounter that names another organisation as its serviceProvider', async () => {
    const nhs = await registered();
    const body = { ...encounter(nhs), serviceProvider: { reference: 'Organization/RX1' } };
    expect((await post('community', body)).status).toBe(422);
    expect((await fhirFetch('community', `/Patient/${nhs}`)).status).toBe(403);
  });

  it('an active ServiceRequest (a referral) gives its performer a relationship', async () => {
    const nhs = await registered();
    expect((await fhirFetch('social-care', `/Patient/${nhs}`)).status).toBe(403);
    const referral = await post('gp', {
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${nhs}` },
      performer: [{ reference: 'Organization/LA101' }],
    });
    expect(referral.status).toBe(201);
    expect((await fhirFetch('social-care', `/Patient/${nhs}`)).status).toBe(200);
    await expect
      .poll(() => published('Access.RelationshipStarted', nhs), { timeout: 15_000 })
      .toEqual(['LA101']);
  });
});

describe('finding 7: objections', () => {
  it('an organisation without a relationship cannot record one (403), and the GP’s view is unchanged', async () => {
    const nhs = await registered();
    expect((await post('acute', encounter(nhs))).status).toBe(201);
    const acuteCondition = await post('acute', condition(nhs));
    const refused = await post('community', objection(nhs));
    expect(refused.status).toBe(403);
    expect((await fhirFetch('gp', `/Condition/${acuteCondition.body.id}`)).status).toBe(200);
  });

  it('is visible to every organisation with a relationship and withdrawable by the registered GP', async () => {
    const nhs = await registered();
    expect((await post('acute', encounter(nhs))).status).toBe(201);
    expect((await post('community', encounter(nhs))).status).toBe(201);
    const acuteCondition = await post('acute', condition(nhs));
    const recorded = await post('acute', objection(nhs));
    expect(recorded.status).toBe(201);
    const path = `/Consent/${recorded.body.id}`;
    for (const role of ['gp', 'community'] as const) expect((await fhirFetch(role, path)).status).toBe(200);
    expect((await fhirFetch('gp', `/Condition/${acuteCondition.body.id}`)).status).toBe(404);

    const withdrawn = { ...recorded.body, status: 'inactive' };
    const byCommunity = await fhirFetch('community', path, {
      method: 'PUT',
      body: withdrawn,
      headers: { 'If-Match': 'W/"1"' },
    });
    expect(byCommunity.status).toBe(403);
    const byGp = await fhirFetch('gp', path, {
      method: 'PUT',
      body: withdrawn,
      headers: { 'If-Match': 'W/"1"' },
    });
    expect(byGp.status).toBe(200);
    expect((await fhirFetch('gp', `/Condition/${acuteCondition.body.id}`)).status).toBe(200);
  });

  it('the registered GP may not rewrite another organisation’s objection into something else', async () => {
    const nhs = await registered();
    expect((await post('acute', encounter(nhs))).status).toBe(201);
    const recorded = await post('acute', objection(nhs));
    const rewritten = {
      ...recorded.body,
      provision: { type: 'deny', period: { start: '2026-01-01' } },
      status: 'active',
    };
    const response = await fhirFetch('gp', `/Consent/${recorded.body.id}`, {
      method: 'PUT',
      body: rewritten,
      headers: { 'If-Match': 'W/"1"' },
    });
    expect(response.status).toBe(403);
  });

  it('the recording organisation may withdraw it by deleting it', async () => {
    const nhs = await registered();
    expect((await post('acute', encounter(nhs))).status).toBe(201);
    const recorded = await post('acute', objection(nhs));
    expect((await fhirFetch('acute', `/Consent/${recorded.body.id}`, { method: 'DELETE' })).status).toBe(204);
  });
});
