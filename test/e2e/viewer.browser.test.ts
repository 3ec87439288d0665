// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, whose innerText is the text a person sees (visually hidden text left out), not DOM nodes
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENT } from '#local/seed-demo-patient';
import { documentClient, tableName } from '#shared/aws/clients';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium.ts';
import { ukPatient } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { rememberPatientDetail } from '../support/test-patients.ts';
import { launchUrl, TEST_PERSON } from '../support/viewer.ts';

const SCREENSHOTS = resolve('docs/viewer');
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

if (!hasChromium) console.warn(`Skipping the viewer browser tests: ${CHROMIUM} is missing`);

/** No serious or critical accessibility problems on the page as it stands (WCAG 2.2 AA rules). */
async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** A screenshot at desktop and phone sizes, of the whole page or one part of it. */
async function screenshots(page: Page, name: string, selector?: string) {
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    const path = join(SCREENSHOTS, `${name}-${size}.png`);
    // A part is shown where the person would see it: scrolled to, under the sticky patient banner.
    if (selector) await page.locator(selector).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path });
  }
  await page.setViewportSize(DESKTOP);
}

/** Presses Tab until the element matching `selector` has focus: proves it is reachable by keyboard. */
async function tabTo(page: Page, selector: string) {
  const target = page.locator(selector);
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
  }
  throw new Error(`${selector} is not reachable with the Tab key`);
}

describe.skipIf(!hasChromium)('the point-of-care viewer, in Chromium', () => {
  let browser: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    rememberPatientDetail(DEMO_PATIENT, '900 000 0092', 'Oakley', 'OAKLEY', 'Margaret', TEST_PERSON.name);
    ({ browser, close: closeBrowser } = await launchChromium(DESKTOP));
  }, 60_000);

  afterAll(async () => {
    await closeBrowser?.();
  });

  it('opens the demo record from a launch: banner, alerts first, every section, who recorded what', async () => {
    const page = await browser.newPage();
    await page.goto(await launchUrl('gp', DEMO_PATIENT));
    expect(page.url()).toMatch(new RegExp(`/viewer/Patient/${DEMO_PATIENT}$`));
    const banner = page.locator('.scr-banner');
    await expect.poll(() => banner.innerText()).toContain('900 000 0092');
    const bannerText = await banner.innerText();
    for (const fact of ['OAKLEY, Margaret Rose', 'Female', '19 Aug 1947', 'Riverside Medical Practice'])
      expect(bannerText).toContain(fact);
    const headings = await page.locator('main h2').allInnerTexts();
    expect(headings[0]).toBe('Alerts');
    for (const h of [
      'Tasks for your organisation',
      'Medications',
      'Problems',
      'Encounters, admissions and referrals',
      'Care plans',
      'Observations and social factors',
      'Immunisations',
      'Procedures',
      'Documents and letters',
      'Care team',
    ]) {
      expect(headings).toContain(h);
    }
    const alerts = await page.locator('#alerts').innerText();
    expect(alerts).toContain('Safeguarding: Adult safeguarding concern');
    expect(alerts).toContain('Allergy to penicillin');
    expect(alerts).toContain('High criticality');
    expect(alerts).toContain('labelled restricted');
    expect(await page.locator('#timeline').innerText()).toContain('Admission: Emergency hospital admission');
    expect(await page.locator('#medications').innerText()).toContain(
      'Recorded by Riverside Medical Practice',
    );
    const team = await page.locator('#care-team').innerText();
    for (const org of [
      'Riverside Medical Practice',
      'Northbridge University Hospitals NHS Trust',
      'Northbridge Community and Mental Health NHS Trust',
      'Northbridge Council Adult Social Care',
    ]) {
      expect(team).toContain(org);
    }
    expect(await page.locator('#observations').innerText()).toContain('Social factor');
    await expectAccessible(page);
    await screenshots(page, 'record');
    await screenshots(page, 'alerts', '#alerts');
    await page.close();
  });

  it('opens a document through the audited Binary route', async () => {
    const page = await browser.newPage();
    await page.goto(await launchUrl('gp', DEMO_PATIENT));
    const link = page.getByRole('link', { name: /Open Discharge summary/ });
    await link.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('body').innerText()).toContain('discharge summary');
    const trail = await fhirFetch('auditor', `/AuditEvent?patient=Patient/${DEMO_PATIENT}&_count=100`);
    const reads = (
      trail.body.entry as {
        resource: {
          subtype: { code: string }[];
          entity: { what: { reference: string } }[];
          agent: { who: { identifier?: { value: string } } }[];
        };
      }[]
    )
      .map((e) => e.resource)
      .filter(
        (a) => a.subtype[0]?.code === 'read' && a.entity.some((x) => x.what.reference.startsWith('Binary/')),
      );
    expect(reads.at(-1)?.agent.map((a) => a.who.identifier?.value)).toContain(TEST_PERSON.id);
    await page.close();
  });

  it('lists the organisation’s open Tasks and acknowledges one with the keyboard', async () => {
    const page = await browser.newPage();
    await page.goto(await launchUrl('gp', DEMO_PATIENT));
    // The notices are made by the event pipeline after seeding: wait for them to arrive.
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator('#tasks button').count();
        },
        { timeout: 30_000 },
      )
      .toBeGreaterThanOrEqual(2);
    expect(await page.locator('#tasks').innerText()).toContain('Safeguarding concern raised');
    await screenshots(page, 'tasks', '#tasks');
    const before = await page.locator('#tasks button').count();
    await page.locator('#tasks').scrollIntoViewIfNeeded();
    await tabTo(page, '#tasks button >> nth=0');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#tasks$/);
    expect(await page.locator('#tasks button').count()).toBe(before - 1);
    expect(await page.locator('#tasks').innerText()).toContain('Acknowledged');
    await expectAccessible(page);
    await page.close();
  });

  it('offers break-glass without a relationship, takes a reason, then shows the record marked as emergency access', async () => {
    const page = await browser.newPage();
    const response = await page.goto(await launchUrl('gp-other', DEMO_PATIENT));
    expect(response?.status()).toBe(403);
    expect(await page.locator('h1').innerText()).toBe('You have no care relationship with this patient');
    expect(await page.locator('body').innerText()).not.toContain('Penicillin');
    await expectAccessible(page);
    await screenshots(page, 'break-glass');
    // Nothing chosen: the error summary says what is missing.
    await page.getByRole('button', { name: 'Open the record for emergency care' }).click();
    expect(await page.locator('.nhsuk-error-summary').innerText()).toContain(
      'Select why you need emergency access',
    );
    await expectAccessible(page);
    // By keyboard alone: the first reason, an explanation, submit.
    await tabTo(page, '#reason-emergency-care');
    await page.keyboard.press('Space');
    await tabTo(page, '#explanation');
    await page.keyboard.type('Collapsed at the surgery; needs allergy history now');
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/viewer/Patient/${DEMO_PATIENT}$`));
    expect(await page.locator('.scr-emergency').innerText()).toContain('Emergency access');
    expect(await page.locator('#alerts').innerText()).toContain('Allergy to penicillin');
    await screenshots(page, 'emergency-record');
    const trail = await fhirFetch('auditor', `/AuditEvent?patient=Patient/${DEMO_PATIENT}&_count=100`);
    const emergency = (
      trail.body.entry as {
        resource: {
          purposeOfEvent: { coding: { code: string }[] }[];
          entity: { detail?: { valueString: string }[] }[];
        };
      }[]
    )
      .map((e) => e.resource)
      .filter((a) => a.purposeOfEvent[0]?.coding[0]?.code === 'ETREAT');
    expect(emergency.at(-1)?.entity[0]?.detail?.[0]?.valueString).toContain('Collapsed at the surgery');
    await page.close();
  });

  it('refuses a reused launch URL, another patient’s page, and a session idle for 15 minutes', async () => {
    const other = newNhsNumber();
    expect(
      (await fhirFetch('gp', `/Patient/${other}`, { method: 'PUT', body: ukPatient(other) })).status,
    ).toBe(201);
    const page = await browser.newPage();
    const url = await launchUrl('gp', DEMO_PATIENT);
    await page.goto(url);
    expect((await page.goto(url))?.status()).toBe(400);
    expect(await page.locator('h1').innerText()).toContain('already been used or has expired');
    const otherPage = await page.goto(page.url().replace(/\/viewer\/.*$/, `/viewer/Patient/${other}`));
    expect(otherPage?.status()).toBe(403);
    const cookie = (await browser.cookies()).find((c) => c.name === '__Host-scr-viewer');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: {
          PK: `VIEWER#${createHash('sha256')
            .update(cookie?.value ?? '')
            .digest('base64url')}`,
          SK: 'SESSION',
        },
        UpdateExpression: 'SET lastSeen = :then',
        ExpressionAttributeValues: { ':then': Date.now() - 16 * 60 * 1000 },
      }),
    );
    const ended = await page.goto(page.url().replace(/\/viewer\/.*$/, `/viewer/Patient/${DEMO_PATIENT}`));
    expect(ended?.status()).toBe(401);
    expect(await page.locator('h1').innerText()).toBe('Your session has ended');
    await expectAccessible(page);
    await page.close();
  });
});
