import type { Task } from '@medplum/fhirtypes';
import { careTeam } from './care-team.ts';
import type { EntryTag } from './entry-summaries.ts';
import { conceptText, displayDate } from './fhir-display.ts';
import { type Html, html } from './html.ts';
import { isAcknowledged, openTasksFor } from './open-tasks.ts';
import { groupRecord, type SummarisedEntry } from './record-sections.ts';
import type { RecordEntry, ViewerRecord } from './viewer-record.ts';

/** What the record page needs besides the record. */
export interface RecordPageContext {
  /** The page's own URL (`…/viewer/Patient/{nhs}`): actions and documents hang off it. */
  pageUrl: string;
  /** ODS code of the organisation the person acts for. */
  odsCode: string;
  organisations: Map<string, string>;
  csrfToken: string;
}

const tag = (t: EntryTag) =>
  html`<strong class="nhsuk-tag nhsuk-tag--${t.colour} scr-tag">${t.text}</strong>`;

const recordedBy = (entry: RecordEntry, organisations: Map<string, string>) =>
  html`<p class="scr-meta">Recorded by ${organisations.get(entry.contributor) ?? entry.contributor} on ${displayDate(entry.lastUpdated)}</p>`;

function entryItem({ entry, summary }: SummarisedEntry, ctx: RecordPageContext): Html {
  return html`<li class="scr-entry">
<h3 class="scr-entry__title nhsuk-body">${summary.title}</h3>${summary.tags.map(tag)}
${summary.when ? html`<p>${summary.when}</p>` : ''}
${summary.detail ? html`<p>${summary.detail}</p>` : ''}
${summary.binary ? html`<p><a href="${ctx.pageUrl}/${summary.binary}">Open ${summary.title}<span class="nhsuk-u-visually-hidden"> (document)</span></a></p>` : ''}
${recordedBy(entry, ctx.organisations)}
</li>`;
}

const entryList = (items: SummarisedEntry[], ctx: RecordPageContext, empty: string) =>
  items.length
    ? html`<ul class="scr-entries">${items.map((i) => entryItem(i, ctx))}</ul>`
    : html`<p class="scr-meta">${empty}</p>`;

function alertsSection(
  record: ViewerRecord,
  groups: ReturnType<typeof groupRecord>,
  ctx: RecordPageContext,
): Html {
  const { safeguarding, flags, allergies } = groups.alerts;
  return html`<section class="scr-section" id="alerts" aria-labelledby="alerts-heading">
<h2 id="alerts-heading">Alerts</h2>
${safeguarding.map(
  (s) => html`<div class="nhsuk-card nhsuk-card--care nhsuk-card--care--urgent">
<div class="nhsuk-card__heading-container"><h3 class="nhsuk-card__heading"><span role="text"><span class="nhsuk-u-visually-hidden">Urgent: </span>Safeguarding: ${s.summary.title}</span></h3><span class="nhsuk-card--care__arrow" aria-hidden="true"></span></div>
<div class="nhsuk-card__content">${s.summary.when ? html`<p>Raised on ${s.summary.when}</p>` : ''}${recordedBy(s.entry, ctx.organisations)}</div>
</div>`,
)}
${flags.length ? html`<h3>Other alerts</h3>${entryList(flags, ctx, '')}` : ''}
<h3>Allergies and adverse reactions</h3>
${entryList(allergies, ctx, 'No allergies or adverse reactions recorded')}
${
  record.limitedByObjection
    ? html`<div class="nhsuk-warning-callout"><h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Some of this record is hidden</span></h3><p>The patient has objected to sharing their record. You see their details and what your organisation recorded, but not what other organisations recorded.</p></div>`
    : ''
}
<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span><p>Entries an organisation has labelled restricted are shown only to that organisation, so this record may not be complete.</p></div>
</section>`;
}

function tasksSection(tasks: (RecordEntry & { resource: Task })[], ctx: RecordPageContext): Html {
  return html`<section class="scr-section" id="tasks" aria-labelledby="tasks-heading">
<h2 id="tasks-heading">Tasks for your organisation</h2>
${
  tasks.length
    ? html`<ul class="scr-entries">${tasks.map((t) => {
        const title = conceptText(t.resource.code) ?? 'Task';
        return html`<li class="scr-entry scr-task"><div>
<h3 class="scr-entry__title nhsuk-body">${title}</h3>${isAcknowledged(t.resource) ? tag({ text: 'Acknowledged', colour: 'green' }) : tag({ text: t.resource.priority === 'urgent' ? 'Urgent' : 'New', colour: t.resource.priority === 'urgent' ? 'red' : 'blue' })}
<p class="scr-meta">From ${ctx.organisations.get(t.resource.requester?.identifier?.value ?? '') ?? t.resource.requester?.identifier?.value ?? 'the shared care record'} on ${displayDate(t.resource.authoredOn ?? t.lastUpdated)}</p>
</div>
${
  isAcknowledged(t.resource)
    ? ''
    : html`<form method="post" action="${ctx.pageUrl}/Task/${t.resource.id}/acknowledge" novalidate>
<input type="hidden" name="csrf" value="${ctx.csrfToken}">
<input type="hidden" name="version" value="${t.resource.meta?.versionId}">
<button class="nhsuk-button nhsuk-button--secondary" type="submit">Acknowledge<span class="nhsuk-u-visually-hidden"> ${title}</span></button>
</form>`
}</li>`;
      })}</ul>`
    : html`<p class="scr-meta">No open tasks for your organisation</p>`
}
</section>`;
}

function careTeamSection(record: ViewerRecord, ctx: RecordPageContext): Html {
  const team = careTeam(record.patient, record.entries);
  return html`<section class="scr-section" id="care-team" aria-labelledby="care-team-heading">
<h2 id="care-team-heading">Care team</h2>
<table class="nhsuk-table"><caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Organisations involved in this patient's care</caption>
<thead class="nhsuk-table__head"><tr class="nhsuk-table__row"><th scope="col" class="nhsuk-table__header">Organisation</th><th scope="col" class="nhsuk-table__header">Involvement</th><th scope="col" class="nhsuk-table__header">Dates</th></tr></thead>
<tbody class="nhsuk-table__body">${team.map(
    (m) =>
      html`<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">${ctx.organisations.get(m.odsCode) ?? m.odsCode} (${m.odsCode})</td><td class="nhsuk-table__cell">${[...m.roles].join(', ')}</td><td class="nhsuk-table__cell">${m.from ? `${displayDate(m.from)} to ${m.open || !m.to ? 'now' : displayDate(m.to)}` : m.open ? 'Current' : ''}</td></tr>`,
  )}</tbody></table>
</section>`;
}

/** The organisations a record page names: contributors, the registered practice, care contexts, Task requesters. */
export function organisationsNamed(record: ViewerRecord): string[] {
  const codes = new Set(record.entries.map((e) => e.contributor));
  for (const m of careTeam(record.patient, record.entries)) codes.add(m.odsCode);
  for (const e of record.entries) {
    const requester = (e.resource as Task).requester?.identifier?.value;
    if (e.resource.resourceType === 'Task' && requester) codes.add(requester);
  }
  return [...codes];
}

/** The record page's main content: alerts first, the organisation's Tasks, then each section and the care team. */
export function recordPageMain(record: ViewerRecord, ctx: RecordPageContext): Html {
  const groups = groupRecord(record.entries);
  const tasks = openTasksFor(ctx.odsCode, record.entries);
  const contents: [string, string][] = [
    ['alerts', 'Alerts'],
    ['tasks', 'Tasks for your organisation'],
    ...groups.sections.map(({ section }) => [section.id, section.title] as [string, string]),
    ['care-team', 'Care team'],
    ...(groups.other.length ? [['other', 'Other entries'] as [string, string]] : []),
  ];
  return html`<h1 class="nhsuk-u-visually-hidden">Shared care record</h1>
${alertsSection(record, groups, ctx)}
${tasksSection(tasks, ctx)}
<nav aria-label="Sections of the record"><h2>Sections</h2><ul class="nhsuk-list scr-contents">${contents.map(([id, title]) => html`<li><a href="#${id}">${title}</a></li>`)}</ul></nav>
${groups.sections.map(
  ({
    section,
    items,
  }) => html`<section class="scr-section" id="${section.id}" aria-labelledby="${section.id}-heading">
<h2 id="${section.id}-heading">${section.title}</h2>
${entryList(items, ctx, section.empty)}
</section>`,
)}
${careTeamSection(record, ctx)}
${
  groups.other.length
    ? html`<section class="scr-section" id="other" aria-labelledby="other-heading"><h2 id="other-heading">Other entries</h2>${entryList(groups.other, ctx, '')}</section>`
    : ''
}`;
}
