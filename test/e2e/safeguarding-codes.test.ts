import { describe, expect, it } from 'vitest';
import { ukPatient } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { sandbox } from '../support/sandbox-client.ts';

type Issue = { severity: string; code: string; diagnostics: string };

async function registeredPatient(): Promise<string> {
  const nhs = newNhsNumber();
  expect((await fhirFetch('gp', `/Patient/${nhs}`, { method: 'PUT', body: ukPatient(nhs) })).status).toBe(
    201,
  );
  return nhs;
}

const flag = (nhs: string, code: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Flag',
  status: 'active',
  code: { coding: [{ system: 'http://snomed.info/sct', code }] },
  subject: { reference: `Patient/${nhs}` },
  ...extra,
});

const safetyCategory = {
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'safety' }] }],
};

async function counter(name: string): Promise<number> {
  const response = await fetch(`${sandbox().url}/_ops/metrics.json`);
  const snapshot = (await response.json()) as { counters: Record<string, number> };
  return snapshot.counters[name] ?? 0;
}

describe('the safeguarding concerns ValueSet (CONTRACT §5)', () => {
  it('publishes the deployment list, including the four codes the contract names and looked-after child', async () => {
    const { status, body } = await fhirFetch('acute', '/ValueSet/safeguarding-concerns');
    expect(status).toBe(200);
    expect(body.resourceType).toBe('ValueSet');
    expect(body.id).toBe('safeguarding-concerns');
    const include = (body.compose as { include: { system: string; concept: { code: string }[] }[] }).include;
    expect(include[0]?.system).toBe('http://snomed.info/sct');
    const codes = include[0]?.concept.map((c) => c.code);
    // CONTRACT §5 names these four; 764841000000100 |Looked after child| is NHS England's CP-IS set.
    for (const code of [
      '836881000000105',
      '1064961000000107',
      '878111000000109',
      '342191000000101',
      '764841000000100',
    ]) {
      expect(codes).toContain(code);
    }
  });

  it('needs a token, as every FHIR call but metadata', async () => {
    const response = await fetch(`${sandbox().clients.fhirBase}/ValueSet/safeguarding-concerns`);
    expect(response.status).toBe(401);
  });
});

describe('a Flag that looks like safeguarding but whose code is not on the list', () => {
  it('is stored (201) and answers an OperationOutcome warning with Prefer: return=OperationOutcome, and is counted', async () => {
    const nhs = await registeredPatient();
    const before = await counter('SafeguardingCodeNotListed');
    const { status, body, headers } = await fhirFetch('gp', '/Flag', {
      method: 'POST',
      body: flag(nhs, '713616004', safetyCategory),
      headers: { Prefer: 'return=OperationOutcome' },
    });
    expect(status).toBe(201);
    expect(headers.get('location')).toMatch(/\/Flag\/[^/]+\/_history\/1$/);
    expect(body.resourceType).toBe('OperationOutcome');
    const issues = body.issue as Issue[];
    const warning = issues.find((i) => i.severity === 'warning');
    expect(warning?.diagnostics).toContain('713616004');
    expect(warning?.diagnostics).toContain('ValueSet/safeguarding-concerns');
    await expect.poll(() => counter('SafeguardingCodeNotListed')).toBeGreaterThan(before);
  });

  it('is caught by its text when it mentions safeguarding', async () => {
    const nhs = await registeredPatient();
    const { status, body } = await fhirFetch('gp', '/Flag', {
      method: 'POST',
      body: { ...flag(nhs, '713616004'), code: { text: 'Safeguarding: adult at risk' } },
      headers: { Prefer: 'return=OperationOutcome' },
    });
    expect(status).toBe(201);
    expect((body.issue as Issue[]).some((i) => i.severity === 'warning')).toBe(true);
  });

  it('answers the resource, as before, without the Prefer header', async () => {
    const nhs = await registeredPatient();
    const { status, body } = await fhirFetch('gp', '/Flag', {
      method: 'POST',
      body: flag(nhs, '713616004', safetyCategory),
    });
    expect(status).toBe(201);
    expect(body.resourceType).toBe('Flag');
  });

  it('gives no warning for a listed code, nor for a Flag with nothing of safeguarding about it', async () => {
    const nhs = await registeredPatient();
    for (const body of [
      flag(nhs, '764841000000100', safetyCategory),
      { ...flag(nhs, '1234567'), code: { text: 'Wheelchair user' } },
    ]) {
      const response = await fhirFetch('gp', '/Flag', {
        method: 'POST',
        body,
        headers: { Prefer: 'return=OperationOutcome' },
      });
      expect(response.status).toBe(201);
      expect((response.body.issue as Issue[]).filter((i) => i.severity === 'warning')).toEqual([]);
    }
  });
});
