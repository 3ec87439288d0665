import { describe, expect, it } from 'vitest';
import type { ExportRequest } from '#shared/export/export-request';
import { exportableItem, type ScannedItem } from '#shared/export/export-selection';

const request: ExportRequest = { level: 'system', types: ['Condition', 'Organization'], url: 'x' };
const condition = (extra: object = {}) => ({ resourceType: 'Condition', id: 'c1', ...extra });
const item = (over: Partial<ScannedItem> = {}, resource: object = condition()): ScannedItem => ({
  PK: 'PATIENT#9434765919',
  SK: 'Condition#c1',
  resourceType: 'Condition',
  resource: JSON.stringify(resource),
  lastUpdated: '2026-02-01T10:00:00.000Z',
  deleted: false,
  ...over,
});
const label = (code: string) => ({
  meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code }] },
});

describe('which table items an export sends', () => {
  it('sends the current version of a resource of a type asked for', () => {
    expect(exportableItem(item(), request)).toEqual(condition());
  });

  it.each([
    ['an earlier version', item({ SK: '_history#Condition#c1#0000000001' })],
    ['a journal entry', item({ SK: '_journal#2026-02-01#a', resource: undefined, resourceType: undefined })],
    ['access facts', item({ SK: '_access#objection', resource: undefined, resourceType: undefined })],
    ['a deleted resource', item({ deleted: true })],
    ['a type not asked for', item({ resourceType: 'Observation' }, { resourceType: 'Observation' })],
    ['an export job', item({ PK: 'EXPORT#e1', SK: 'JOB', resource: undefined })],
    ['an opt-out entry', item({ PK: 'OPT_OUT', SK: '9434765919', resource: undefined })],
    ['a viewer session', item({ PK: 'VIEWER#abc', SK: 'SESSION', resource: undefined })],
    ['a Subscription', item({ PK: 'SUBSCRIPTION#s1', SK: 'Subscription#s1', resourceType: 'Subscription' })],
    ['a restricted resource', item({}, condition(label('R')))],
    ['a very restricted resource', item({}, condition(label('V')))],
  ])('never sends %s', (_, scanned) => {
    expect(exportableItem(scanned, request)).toBeUndefined();
  });

  it('sends a normal-labelled resource', () => {
    expect(exportableItem(item({}, condition(label('N'))), request)).toBeDefined();
  });

  it('sends only what changed after _since', () => {
    const since = { ...request, since: '2026-02-01T10:00:00.000Z' };

    expect(exportableItem(item(), since)).toBeUndefined();
    expect(exportableItem(item({ lastUpdated: '2026-02-01T10:00:00.001Z' }), since)).toBeDefined();
  });

  it('sends Organizations in a system export only', () => {
    const organisation = item(
      { PK: 'ORGANIZATION#A81001', SK: 'Organization#A81001', resourceType: 'Organization' },
      { resourceType: 'Organization', id: 'A81001' },
    );

    expect(exportableItem(organisation, request)).toBeDefined();
    expect(exportableItem(organisation, { ...request, level: 'patient' })).toBeUndefined();
  });
});
