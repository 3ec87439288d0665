import { join, resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OpsView } from '#local/ops-page';
import type { OpsSnapshot } from '#local/sandbox-metrics';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium.ts';
import { EVENTUALLY_MS } from '../support/eventually.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { sandbox } from '../support/sandbox-client.ts';
import { inpatientEncounter, subscriptionBody } from '../support/subscriptions.ts';
import { rememberPatientDetail } from '../support/test-patients.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const ARTIFACTS = resolve('test/artifacts');
// Committed with the docs, to show what the pages look like; rewritten by each run.
const SCREENSHOTS = resolve('docs/screenshots');
const OPS_SCREENSHOT = join(SCREENSHOTS, 'ops-page.png');
const OPS_STALE_SCREENSHOT = join(ARTIFACTS, 'ops-page-stale.png');
const DOCS_SCREENSHOT = join(SCREENSHOTS, 'docs-page.png');
const DOCS_PATIENT_SCREENSHOT = join(ARTIFACTS, 'docs-patient-operations.png');

if (!hasChromium) {
  console.warn(`Skipping the browser tests: ${CHROMIUM} is missing (apt-get install chromium; .ci/run does)`);
}

const metricsNow = async () => (await (await fetch(`${sandbox().url}/_ops/metrics.json`)).json()) as OpsView;

describe.skipIf(!hasChromium)('the sandbox ops page and supplier docs, in Chromium', () => {
  let browser: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;
  let before: OpsSnapshot;
  let after: OpsSnapshot;
  // A supplier endpoint that refuses everything: its subscription ends dead-lettered.
  const refusing = new WebhookReceiver(() => 500);
  let deadSubscription: string;

  beforeAll(async () => {
    ({ browser, close: closeBrowser } = await launchChromium({ width: 1400, height: 1000 }));

    // Traffic of every kind the page counts: successes, a refusal by the access rules, a 404 and a 401.
    before = await metricsNow();
    const nhs = newNhsNumber();
    rememberPatientDetail(nhs);
    const patient = {
      resourceType: 'Patient',
      id: nhs,
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs }],
      generalPractitioner: [{ reference: 'Organization/A81001' }],
    };
    expect((await fhirFetch('gp', `/Patient/${nhs}`, { method: 'PUT', body: patient })).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await fhirFetch('gp', `/Patient/${nhs}`)).status).toBe(200);
    expect((await fhirFetch('gp-other', `/Patient/${nhs}`)).status).toBe(403);
    expect((await fhirFetch('gp', '/Condition/no-such-condition')).status).toBe(404);
    expect((await fetch(`${sandbox().clients.fhirBase}/Patient/${nhs}`)).status).toBe(401);
    after = await metricsNow();

    // A delivery that fails every attempt of the (sandbox-scaled) schedule: a dead letter, an alarm condition.
    const endpoint = await refusing.start();
    const created = await fhirFetch('gp', '/Subscription', {
      method: 'POST',
      body: subscriptionBody({ topic: 'admission', filter: `patient=Patient/${nhs}`, endpoint }),
    });
    expect(created.status).toBe(201);
    deadSubscription = created.body.id as string;
    expect(
      (await fhirFetch('gp', '/Encounter', { method: 'POST', body: inpatientEncounter(nhs) })).status,
    ).toBe(201);
    const deadLettered = async () =>
      (await metricsNow()).subscriptions.find((x) => x.id === deadSubscription)?.deadLettered ?? 0;
    await vi.waitFor(async () => expect(await deadLettered()).toBe(1), { timeout: 60_000, interval: 500 });
  }, 120_000);

  afterAll(async () => {
    await refusing.stop();
    await closeBrowser?.();
  });

  it('counts the traffic in the figures the ops page serves', () => {
    const route = (name: string, s: OpsSnapshot) => s.routes.find((r) => r.route === name);
    // The Patient reads: `Patient` is a literal resource with routes of its own (for `Patient/$export`).
    const read = (s: OpsSnapshot) => route('GET /FHIR/R4/Patient/{id}', s);
    expect(after.totals.requests - before.totals.requests).toBeGreaterThanOrEqual(9);
    expect(after.totals.status4xx - before.totals.status4xx).toBeGreaterThanOrEqual(3);
    expect((read(after)?.requests ?? 0) - (read(before)?.requests ?? 0)).toBeGreaterThanOrEqual(7);
    expect((after.counters.AccessDenied ?? 0) - (before.counters.AccessDenied ?? 0)).toBeGreaterThanOrEqual(
      1,
    );
    const figures = read(after);
    expect(figures?.p50).toBeGreaterThan(0);
    expect(figures?.p50).toBeLessThanOrEqual(figures?.p90 ?? 0);
    expect(figures?.p90).toBeLessThanOrEqual(figures?.p99 ?? 0);
  });

  it('shows requests, latency percentiles, errors, events, deliveries and dead letters on /_ops', async () => {
    const page = await browser.newPage();
    await page.goto(`${sandbox().url}/_ops`);

    await expect.poll(() => page.locator('h1').textContent()).toBe('Sandbox ops');
    const figure = async (name: string) =>
      Number(await page.locator(`[data-figure="${name}"]`).textContent());
    expect(await figure('requests')).toBeGreaterThanOrEqual(after.totals.requests);
    expect(await figure('4xx')).toBeGreaterThanOrEqual(after.totals.status4xx);
    expect(await figure('AccessDenied')).toBeGreaterThanOrEqual(1);
    for (const name of [
      '5xx',
      'EventsPublished',
      'NotificationsDelivered',
      'NotificationAttemptsFailed',
      'DeadLetters',
    ]) {
      expect(await figure(name), name).toBeGreaterThanOrEqual(0);
    }
    const headings = await page.locator('th').allTextContents();
    expect(headings).toEqual(
      expect.arrayContaining(['Requests', '4xx', '5xx', 'p50 ms', 'p90 ms', 'p99 ms']),
    );
    const row = page.locator('tr[data-route="GET /FHIR/R4/Patient/{id}"] td');
    const cells = await row.allTextContents();
    expect(Number(cells[1])).toBeGreaterThanOrEqual(7);
    expect(Number(cells[5])).toBeGreaterThan(0);

    // The page refreshes itself from the sandbox's metrics.
    const shown = await figure('requests');
    await fetch(`${sandbox().clients.fhirBase}/metadata`);
    await expect.poll(() => figure('requests'), { timeout: EVENTUALLY_MS }).toBeGreaterThan(shown);

    // The dead letter holds the deployment's dead-letter alarm condition: shown red, with its runbook.
    const deadLetters = page.locator('li[data-alarm="dead-letters"]');
    expect(await deadLetters.getAttribute('data-state')).toBe('alarm');
    expect(await deadLetters.textContent()).toContain('docs/runbooks/dead-letters.md');
    expect(
      await deadLetters.evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).borderLeftColor),
    ).toBe('rgb(213, 40, 27)');
    // The dead-lettered subscription's detail: owner, counts and the last error.
    const subscriptionRow = page.locator(`tr[data-subscription="${deadSubscription}"]`);
    expect(await subscriptionRow.getAttribute('class')).toBe('dead');
    const detail = await subscriptionRow.locator('td').allTextContents();
    expect(detail).toEqual(expect.arrayContaining(['A81001', 'admission', 'error', '1']));
    expect(detail.join(' ')).toContain('The endpoint answered HTTP 500');
    // Who called, and how each was answered.
    expect(await page.locator('tr[data-client="sandbox-gp-other"]').textContent()).toContain('403×');
    expect(await page.locator('tr[data-organisation="A81001"]').count()).toBe(1);
    await page.screenshot({ path: OPS_SCREENSHOT, fullPage: true });

    // When the sandbox stops answering, the page says its figures are stale rather than showing them as live.
    await page.route('**/_ops/figures', (route) => route.abort());
    await expect.poll(() => page.locator('body').getAttribute('class'), { timeout: 10_000 }).toBe('stale');
    expect(await page.locator('#stale').isVisible()).toBe(true);
    await page.screenshot({ path: OPS_STALE_SCREENSHOT });
    await page.close();
  }, 60_000);

  it('renders the OpenAPI document at /docs, offline, worked examples first', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(sandbox().url) && !request.url().startsWith('data:'))
        outside.push(request.url());
    });
    await page.goto(`${sandbox().url}/docs`);

    await expect
      .poll(() => page.locator('.info .title').first().textContent(), { timeout: EVENTUALLY_MS })
      .toContain('Shared Care Record');
    const info = await page.locator('.info').first().textContent();
    expect(info).toContain('Worked examples');
    for (const title of [
      'Get a token (curl and openssl, PEM key)',
      'Get a token (Node.js, no packages)',
      'Register a patient',
      'Contribute an allergy',
      'Read and search the joined-up record',
      'Subscribe to admissions',
      'Check deliveries, and catch up on missed notifications',
    ]) {
      expect(info).toContain(title);
    }
    expect(info).toContain('openssl dgst -sha512 -sign gp-key.pem');
    await page.screenshot({ path: DOCS_SCREENSHOT });
    await page.locator('h3#operations-tag-Patient, [data-tag="Patient"]').first().click();
    await expect
      .poll(
        () =>
          page
            .locator('.opblock-summary-path')
            .evaluateAll((spans) => spans.map((s) => s.getAttribute('data-path') ?? s.textContent)),
        { timeout: EVENTUALLY_MS },
      )
      .toEqual(expect.arrayContaining(['/FHIR/R4/Patient/{id}', '/FHIR/R4/Patient/{id}/$everything']));
    await page.screenshot({ path: DOCS_PATIENT_SCREENSHOT });
    expect(outside).toEqual([]);
    await page.close();
  });
});
