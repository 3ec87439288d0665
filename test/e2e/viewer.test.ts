import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient, tableName } from '#shared/aws/clients';
import { officialExample, ukPatient } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { rememberPatientDetail } from '../support/test-patients.ts';
import { launchUrl, launchViewer, TEST_PERSON, ViewerBrowser } from '../support/viewer.ts';

type AuditEvent = {
  subtype: { code: string }[];
  outcome: string;
  agent: {
    who: { identifier?: { system: string; value: string } };
    purposeOfUse: { coding: { code: string }[] }[];
  }[];
  entity: { what: { reference: string }; query?: string; detail?: { type: string; valueString: string }[] }[];
};

const nhs = newNhsNumber();
const otherNhs = newNhsNumber();

async function auditTrail(patient = nhs): Promise<AuditEvent[]> {
  const response = await fhirFetch('auditor', `/AuditEvent?patient=Patient/${patient}&_count=100`);
  expect(response.status).toBe(200);
  return ((response.body.entry ?? []) as { resource: AuditEvent }[]).map((e) => e.resource);
}

const viewerPages = (trail: AuditEvent[]) =>
  trail.filter(
    (a) => a.entity[0]?.query && Buffer.from(a.entity[0].query, 'base64').toString().startsWith('viewer:'),
  );

/** Opens a viewer session for `role` on `patient`; answers the browser and the record page's URL. */
async function openSession(role: 'gp' | 'community' | 'acute' = 'gp', patient = nhs) {
  const browser = new ViewerBrowser();
  const opened = await browser.open(await launchUrl(role, patient));
  expect(opened.status).toBe(303);
  return { browser, page: opened.location as string };
}

beforeAll(async () => {
  rememberPatientDetail(TEST_PERSON.name, TEST_PERSON.id);
  for (const patient of [nhs, otherNhs]) {
    expect(
      (await fhirFetch('gp', `/Patient/${patient}`, { method: 'PUT', body: ukPatient(patient) })).status,
    ).toBe(201);
  }
  const allergy = await fhirFetch('gp', '/AllergyIntolerance', {
    method: 'POST',
    body: { ...officialExample('allergyintolerance-example.json'), patient: { reference: `Patient/${nhs}` } },
  });
  expect(allergy.status).toBe(201);
});

describe('viewer launch (CONTRACT §7)', () => {
  it('answers a Parameters with a single-use URL under /viewer/', async () => {
    const launched = await launchViewer('gp', nhs);
    expect(launched.status).toBe(200);
    expect(launched.body.resourceType).toBe('Parameters');
    const url = (launched.body.parameter as { name: string; valueUrl?: string }[]).find(
      (p) => p.name === 'url',
    )?.valueUrl;
    expect(url).toMatch(/\/viewer\/start\?code=[A-Za-z0-9_-]{43}$/);
    expect(launched.headers.get('cache-control')).toBe('no-store');
  });

  it('needs NHSD-End-User-Id, a valid patient and a name: 400 with an OperationOutcome otherwise', async () => {
    const noPerson = await launchViewer('gp', nhs, {}, { ...TEST_PERSON, id: '' });
    expect(noPerson.status).toBe(400);
    expect(noPerson.body.resourceType).toBe('OperationOutcome');
    expect((await launchViewer('gp', '1234567890')).status).toBe(400);
    expect((await launchViewer('gp', nhs, {}, { ...TEST_PERSON, name: ' ' })).status).toBe(400);
  });

  it('needs the supplier system’s bearer token', async () => {
    const { sandbox } = await import('../support/sandbox-client.ts');
    const response = await fetch(`${sandbox().url}/viewer/launch`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
  });
});

describe('viewer session', () => {
  it('exchanges the code for an HttpOnly, Secure, SameSite=Strict cookie and leaves no code in the address', async () => {
    const browser = new ViewerBrowser();
    const opened = await browser.open(await launchUrl('gp', nhs));
    expect(opened.status).toBe(303);
    expect(opened.location).toMatch(new RegExp(`/viewer/Patient/${nhs}$`));
    expect(opened.setCookie).toMatch(
      /^__Host-scr-viewer=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/,
    );
    const page = await browser.get(opened.location as string);
    expect(page.status).toBe(200);
    expect(page.body).toContain('TESTPATIENT, Robin');
    expect(page.body).not.toContain(browser.cookie.split('=')[1]);
  });

  it('refuses a launch URL used a second time, even by two browsers at once', async () => {
    const url = await launchUrl('gp', nhs);
    const answers = await Promise.all([new ViewerBrowser().open(url), new ViewerBrowser().open(url)]);
    expect(answers.map((a) => a.status).sort()).toEqual([303, 400]);
    const again = await new ViewerBrowser().open(url);
    expect(again.status).toBe(400);
    expect(again.setCookie).toBeUndefined();
    expect(again.body).toContain('already been used or has expired');
  });

  it('refuses an expired launch URL', async () => {
    const url = await launchUrl('gp', nhs);
    const code = new URL(url).searchParams.get('code') as string;
    // The code's 60 seconds have passed: its deadline is moved into the past rather than waiting.
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { PK: `VIEWER#${createHash('sha256').update(code).digest('base64url')}`, SK: 'LAUNCH' },
        UpdateExpression: 'SET validUntil = :past',
        ExpressionAttributeValues: { ':past': Date.now() - 1 },
      }),
    );
    expect((await new ViewerBrowser().open(url)).status).toBe(400);
  });

  it('refuses another patient’s page within a session (403) and shows nothing of it', async () => {
    const { browser, page } = await openSession();
    const other = await browser.get(page.replace(nhs, otherNhs));
    expect(other.status).toBe(403);
    expect(other.body).not.toContain(otherNhs);
    expect(other.headers.get('content-type')).toContain('text/html');
  });

  it('ends after 15 minutes idle: the page is refused with 401 and no record', async () => {
    const { browser, page } = await openSession();
    expect((await browser.get(page)).status).toBe(200);
    const id = browser.cookie.split('=')[1] as string;
    // Sixteen minutes of idleness, by moving the session's last use back rather than waiting.
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { PK: `VIEWER#${createHash('sha256').update(id).digest('base64url')}`, SK: 'SESSION' },
        UpdateExpression: 'SET lastSeen = :then',
        ExpressionAttributeValues: { ':then': Date.now() - 16 * 60 * 1000 },
      }),
    );
    const ended = await browser.get(page);
    expect(ended.status).toBe(401);
    expect(ended.body).toContain('Your session has ended');
    expect(ended.body).not.toContain('Robin');
  });

  it('answers a page without a session with 401', async () => {
    const { page } = await openSession();
    expect((await new ViewerBrowser().get(page)).status).toBe(401);
  });
});

describe('viewer pages', () => {
  it('carry a strict CSP, no-store, no-referrer, and frame-ancestors from the config', async () => {
    const { browser, page } = await openSession();
    const response = await browser.get(page);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    expect(csp).toMatch(/frame-ancestors [^;]+/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.body).not.toMatch(/<script/i);
    expect(response.body).not.toMatch(/ style=/i);
  });

  it('serve stylesheets under hashed names, cached for a year', async () => {
    const { browser, page } = await openSession();
    const body = (await browser.get(page)).body;
    const hrefs = [...body.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1] as string);
    expect(hrefs).toHaveLength(2);
    for (const href of hrefs) {
      expect(href).toMatch(/\/viewer\/assets\/(nhsuk|viewer)-[0-9a-f]{16}\.css$/);
      const css = await fetch(href);
      expect(css.status).toBe(200);
      expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(css.headers.get('content-type')).toContain('text/css');
    }
  });

  it('audits every page view, naming the person, the organisation and the supplier system', async () => {
    const { browser, page } = await openSession();
    const before = viewerPages(await auditTrail()).length;
    expect((await browser.get(page)).status).toBe(200);
    expect((await browser.get(page)).status).toBe(200);
    const pages = viewerPages(await auditTrail());
    expect(pages.length - before).toBe(2);
    const last = pages.at(-1) as AuditEvent;
    expect(last.outcome).toBe('0');
    expect(last.agent.map((a) => a.who.identifier?.value)).toEqual(['sandbox-gp', 'A81001', TEST_PERSON.id]);
    expect(last.agent[2]?.who.identifier?.system).toBe('https://fhir.nhs.uk/Id/sds-user-id');
    expect(last.entity.map((e) => e.what.reference)).toContain(`Patient/${nhs}`);
  });

  it('refuse a form without the session’s CSRF token (403) and change nothing', async () => {
    const { browser, page } = await openSession('community');
    const response = await browser.post(`${page}/break-glass`, {
      reason: 'emergency-care',
      explanation: 'Unconscious in A&E',
      csrf: 'forged',
    });
    expect(response.status).toBe(403);
    // Still no emergency access: the record page still offers break-glass rather than the record.
    expect((await browser.get(page)).status).toBe(403);
  });
});
