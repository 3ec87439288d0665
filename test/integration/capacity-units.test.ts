import type { Encounter, Observation, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { StorageMeter, type StorageWork } from '#bench/support/storage-meter';
import { dynamodb } from '#shared/aws/clients';
import type { RequestContext } from '#shared/http/request-context';
import { everything } from '#shared/interactions/everything';
import { readResource } from '#shared/interactions/read';
import { searchType } from '#shared/interactions/search';
import { planCreate, planUpdate } from '#shared/interactions/write';
import { commitPlans } from '#shared/interactions/write-plan';
import { ukPatient } from '../support/fixtures.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';

/**
 * What one interaction costs DynamoDB, against issue 15's bars. Capacity units follow from the items and their
 * sizes, so unlike time they can be asserted. The interactions run in this process through the domain, as the
 * FHIR function runs them, so the shared client's meter sees every call. Each write is checked twice: by
 * DynamoDB Local's own figure and by what AWS would bill for the items sent (DynamoDB Local counts a
 * transaction's items of equal cost once).
 */

// The ids of clinical resources are made under a key derived from the cursor secret.
process.env.CURSOR_SECRET ??= 'capacity-units-test-cursor-secret-000000';
const meter = new StorageMeter(dynamodb);
const PRACTICE = 'A81001';
const gp: RequestContext = {
  caller: { clientId: 'capacity-gp', odsCode: PRACTICE, role: 'gp', scopes: ['system/*.cruds'] },
  purpose: { code: 'TREAT' },
  fhirBase: 'https://example.org/FHIR/R4',
};
const auditor: RequestContext = {
  caller: { clientId: 'capacity-auditor', odsCode: 'X26', role: 'auditor', scopes: ['system/AuditEvent.rs'] },
  purpose: { code: 'TREAT' },
  fhirBase: 'https://example.org/FHIR/R4',
};

function bodyWeight(nhs: string): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
        ],
      },
    ],
    code: { coding: [{ system: 'http://snomed.info/sct', code: '27113001', display: 'Body weight' }] },
    subject: { reference: `Patient/${nhs}` },
    effectiveDateTime: '2026-03-02T09:05:00Z',
    valueQuantity: { value: 72.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
  };
}

/** An outpatient visit that ended years ago: far past any grace period, so it gives no relationship now. */
function pastVisit(nhs: string): Encounter {
  return {
    resourceType: 'Encounter',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    subject: { reference: `Patient/${nhs}` },
    period: { start: '2019-03-02T09:00:00Z', end: '2019-03-02T09:15:00Z' },
  };
}

async function register(nhs: string): Promise<void> {
  await commitPlans([await planUpdate('Patient', nhs, ukPatient(nhs, PRACTICE), undefined, gp)], gp);
}

async function create(type: string, body: Resource, ctx = gp): Promise<Resource> {
  const plan = await planCreate(type, body as unknown as Record<string, unknown>, ctx);
  await commitPlans([plan], ctx);
  return plan.write.next.resource;
}

/** The DynamoDB work of one stretch of code alone. */
async function metered(run: () => Promise<unknown>): Promise<StorageWork> {
  meter.take();
  await run();
  return meter.take();
}

describe('capacity units per interaction (issue 15)', () => {
  const nhs = newNhsNumber();
  let observation: Resource;

  beforeAll(async () => {
    await register(nhs);
    observation = await create('Observation', bodyWeight(nhs));
  });

  /** Updates the Observation from the version it is at, as a client holding it would: only the update metered. */
  async function meteredUpdate(): Promise<StorageWork> {
    const current = await readResource('Observation', observation.id as string, gp);
    const changed = { ...current.resource, status: 'amended' } as unknown as Record<string, unknown>;
    return metered(async () => {
      const plan = await planUpdate('Observation', observation.id as string, changed, current.versionId, gp);
      await commitPlans([plan], gp);
    });
  }

  // A transaction's write units are asserted as AWS bills them (2 a KB of each item): DynamoDB Local's own figure
  // for a transaction follows its counting, not the items (a 176-byte item beside an 850-byte one comes to 12).
  it('a create is at most 6 write units, in one transaction of its resource and its journal entry', async () => {
    const work = await metered(() => create('Observation', bodyWeight(nhs)));
    expect(work.calls.TransactWriteItems).toBe(1);
    expect(work.transactionActions).toEqual([2]);
    expect(work.billedWriteUnits).toBeLessThanOrEqual(6);
  });

  it('an update is at most 8 write units, after one read of the resource with its access facts', async () => {
    const work = await meteredUpdate();
    expect(work.calls).toEqual({ BatchGetItem: 1, TransactWriteItems: 1 });
    expect(work.billedWriteUnits).toBeLessThanOrEqual(8);
    expect(work.readUnits).toBeLessThanOrEqual(2);
  });

  // The bar of issue 15 not met yet: the read finds two items (the resource and its Patient, for the
  // registered practice), and a strongly consistent read is a unit an item. Passes once it is met.
  it.fails('an update reads at most 1 read unit', async () => {
    expect((await meteredUpdate()).readUnits).toBeLessThanOrEqual(1);
  });

  it('a read is at most 2 round trips (its audit write included), 2 read units and 1 write unit', async () => {
    const work = await metered(() => readResource('Observation', observation.id as string, gp));
    expect(work.roundTrips).toBeLessThanOrEqual(2);
    expect(work.readUnits).toBeLessThanOrEqual(2);
    expect(work.writeUnits).toBeLessThanOrEqual(1);
    expect(work.billedWriteUnits).toBeLessThanOrEqual(1);
  });

  it('an $everything page of 50 writes an audit of at most 3 write units that still names what left', async () => {
    const full = newNhsNumber();
    await register(full);
    const plans = [];
    for (let i = 0; i < 50; i++) plans.push(await planCreate('Observation', { ...bodyWeight(full) }, gp));
    await commitPlans(plans, gp);
    let page: Awaited<ReturnType<typeof everything>> | undefined;
    const work = await metered(async () => {
      page = await everything('Patient', full, { _count: ['50'] }, gp);
    });
    expect(page?.entry).toHaveLength(50);
    expect(work.roundTrips).toBeLessThanOrEqual(3);
    expect(work.writeUnits).toBeLessThanOrEqual(3);
    expect(work.billedWriteUnits).toBeLessThanOrEqual(3);
    // The auditor still sees, in the AuditEvent, every resource the page released.
    const trail = await searchType('AuditEvent', { patient: [`Patient/${full}`] }, auditor, {
      lenient: false,
    });
    const audit = trail.entry
      ?.map((e) => e.resource)
      .find((r) => r?.resourceType === 'AuditEvent' && r.subtype?.[0]?.code === 'operation');
    const named = (audit as { entity?: { what?: { reference?: string } }[] } | undefined)?.entity
      ?.map((e) => e.what?.reference)
      .filter((r) => r !== `Patient/${full}`);
    expect(new Set(named)).toEqual(
      new Set(page?.entry?.map((e) => `${e.resource?.resourceType}/${e.resource?.id}`)),
    );
  });
});

describe('relationship facts stay the size of the relationship (issue 15)', () => {
  it('a write costs no more after an organisation has recorded many care contexts long past', async () => {
    const nhs = newNhsNumber();
    await register(nhs);
    const first = await metered(() => create('Encounter', pastVisit(nhs)));
    for (let i = 0; i < 30; i++) await create('Encounter', pastVisit(nhs));
    const later = await metered(() => create('Encounter', pastVisit(nhs)));
    expect(later.readUnits).toBe(first.readUnits);
    expect(later.writeUnits).toBe(first.writeUnits);
    expect(later.billedWriteUnits).toBe(first.billedWriteUnits);
    expect(Math.max(...later.itemBytes)).toBeLessThanOrEqual(Math.max(...first.itemBytes));
  });
});
