import { describe, expect, it } from 'vitest';
import { readLogLines, requestIdOf } from '../support/log-lines.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { accessToken, clientAssertion, clientFor, requestToken, sandbox } from '../support/sandbox-client.ts';
import { rememberPatientDetail } from '../support/test-patients.ts';

describe('sandbox logs (handlers log as on Lambda)', () => {
  it('writes every line as JSON with a request id, the correlation id on every line of a request', async () => {
    // Traffic of its own, so the test stands alone: other test files run in parallel workers.
    const correlation = `json-logs-${crypto.randomUUID()}`;
    const fhir = (role: 'gp' | 'gp-other', path: string, init: RequestInit = {}) =>
      accessToken(role).then((token) =>
        fetch(`${sandbox().clients.fhirBase}${path}`, {
          ...init,
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/fhir+json',
            'X-Correlation-ID': correlation,
            ...init.headers,
          },
        }),
      );
    const nhs = newNhsNumber();
    rememberPatientDetail(nhs);
    const patient = {
      resourceType: 'Patient',
      id: nhs,
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs }],
      generalPractitioner: [{ reference: 'Organization/A81001' }],
    };
    const statuses = [
      (await requestToken(await clientAssertion(clientFor('gp')))).status,
      (await fhir('gp', `/Patient/${nhs}`, { method: 'PUT', body: JSON.stringify(patient) })).status,
      (await fhir('gp', `/Patient/${nhs}`)).status,
      (await fhir('gp-other', `/Patient/${nhs}`)).status,
      (await fhir('gp', `/Patient/${nhs}`, { headers: { 'NHSD-Purpose-Of-Use': 'ETREAT' } })).status,
      (await fhir('gp', '/Patient', { method: 'POST', body: '{"resourceType": "Patient", "gender": 7}' }))
        .status,
      (await fhir('gp', '/Condition/not-there')).status,
    ];
    expect(statuses).toEqual([200, 201, 200, 403, 400, 400, 404]);

    // The sandbox writes its log a moment after it answers.
    let lines = readLogLines(sandbox().logFile);
    const ours = () => lines.json.filter((line) => line['x-correlation-id'] === correlation);
    await expect
      .poll(() => {
        lines = readLogLines(sandbox().logFile);
        return ours().length;
      })
      .toBeGreaterThanOrEqual(statuses.length - 1);

    expect(lines.other).toEqual([]);
    expect(lines.json.filter((line) => !requestIdOf(line))).toEqual([]);
    expect(ours().length).toBeGreaterThanOrEqual(statuses.length - 1);
    for (const line of ours()) {
      expect(line).toMatchObject({
        level: expect.any(String),
        timestamp: expect.any(String),
        requestId: expect.any(String),
      });
    }
    expect(new Set(ours().map((line) => line.requestId)).size).toBeGreaterThanOrEqual(statuses.length - 1);
  });
});
