import { describe, expect, it } from 'vitest';
import { matchRoute } from '#local/route-matcher';
import { FHIR_BASE_PATH, routes } from '#shared/service/routes';

const base = FHIR_BASE_PATH;

describe('Bulk Data export routes', () => {
  it.each([
    ['GET', `${base}/$export`, 'export-system'],
    ['GET', `${base}/Patient/$export`, 'export-patient'],
    ['GET', `${base}/Group/g1/$export`, 'export-group'],
    ['GET', `${base}/$export-status/abc`, 'export-status'],
    ['DELETE', `${base}/$export-status/abc`, 'export-cancel'],
  ])('send %s %s to the bulk-export function (%s)', (method, path, interaction) => {
    expect(matchRoute(method, path)?.route).toMatchObject({ function: 'bulk-export', interaction });
  });

  it('still send every other Patient path to the FHIR function as the Patient type', () => {
    expect(matchRoute('GET', `${base}/Patient/9000000009`)?.route).toMatchObject({
      function: 'fhir',
      interaction: 'read',
      type: 'Patient',
    });
    expect(matchRoute('GET', `${base}/Patient/9000000009/$everything`)?.route.interaction).toBe('everything');
    expect(matchRoute('POST', `${base}/Patient/$validate`)?.route.interaction).toBe('validate');
  });

  it("cover every path the generic routes offer, since API Gateway never falls back from the literal 'Patient'", () => {
    const generic = routes
      .filter((r) => r.path.startsWith(`${base}/{type}`))
      .map((r) => `${r.method} ${r.path.replace(`${base}/{type}`, '')} ${r.interaction}`);
    const patient = routes
      .filter((r) => r.path.startsWith(`${base}/Patient`) && r.function === 'fhir')
      .map((r) => `${r.method} ${r.path.replace(`${base}/Patient`, '')} ${r.interaction}`);

    expect(patient).toEqual(expect.arrayContaining(generic));
  });
});
