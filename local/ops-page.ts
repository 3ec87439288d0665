import { RUNBOOK_FOLDER } from '#shared/observability/alarm-conditions';
import { serviceMetricNames } from '#shared/observability/metric-names';
import type { LocalRoute } from './gateway.ts';
import { type AlarmState, evaluateAlarms } from './ops-alarms.ts';
import type { SubscriptionDelivery } from './ops-subscriptions.ts';
import type { CallerFigures, OpsSnapshot, SandboxMetrics } from './sandbox-metrics.ts';

/** The headline figures, by counter name, in the order the page shows them, with what each means. */
export const opsHeadlines: [name: string, label: string][] = [
  [serviceMetricNames.eventsPublished, 'Events published'],
  [serviceMetricNames.deliverySucceeded, 'Deliveries succeeded'],
  [serviceMetricNames.deliveryFailed, 'Delivery attempts failed'],
  [serviceMetricNames.deliveryDeadLettered, 'Deliveries dead-lettered'],
  ['DeliveryDeadLetters', 'Delivery dead letters waiting'],
  ['DeadLetters', 'Event rule dead letters'],
  ['FailedStreamBatches', 'Failed stream batches'],
  [serviceMetricNames.accessDenied, 'Access denied'],
  [serviceMetricNames.breakGlass, 'Break-glass uses'],
  [serviceMetricNames.relationshipStarted, 'Relationships started'],
  [serviceMetricNames.safeguardingCodeNotListed, 'Safeguarding codes not on the list'],
];

/** Everything the page shows: the metrics, the alarm conditions evaluated on them, the subscriptions' state. */
export interface OpsView extends OpsSnapshot {
  alarms: AlarmState[];
  subscriptions: SubscriptionDelivery[];
}

export interface OpsPageOptions {
  /** Each subscription's delivery state (local/ops-subscriptions.ts); none listed without it. */
  subscriptions?: () => Promise<SubscriptionDelivery[]>;
}

/**
 * `/_ops`: the sandbox's ops page, the same figures ops read off the deployment's CloudWatch dashboard, from the
 * sandbox's own metrics, with the deployment's alarm conditions evaluated live (red when one holds) and each
 * subscription's delivery state. `/_ops/metrics.json` serves them as JSON (for scripts and tests) and
 * `/_ops/figures` as the HTML the page's script swaps in on each refresh; when the sandbox stops answering, the
 * page says its figures are stale. Sandbox only: nothing like it is deployed.
 */
export function opsPage(metrics: SandboxMetrics, options: OpsPageOptions = {}): LocalRoute {
  const pages: Record<string, [contentType: string, render: (v: OpsView) => string]> = {
    '/_ops': ['text/html; charset=utf-8', renderOpsPage],
    '/_ops/figures': ['text/html; charset=utf-8', figuresHtml],
    '/_ops/metrics.json': ['application/json', (v) => JSON.stringify(v)],
  };
  return async (req, res) => {
    const page = pages[(req.url ?? '/').split('?')[0] as string];
    if (req.method !== 'GET' || !page) return false;
    const snapshot = metrics.snapshot();
    const view: OpsView = {
      ...snapshot,
      alarms: evaluateAlarms(snapshot),
      subscriptions: (await options.subscriptions?.().catch(() => [])) ?? [],
    };
    const [contentType, render] = page;
    res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
    res.end(render(view));
    return true;
  };
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const statusList = (byStatus: Record<string, number>) =>
  Object.entries(byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => `<span class="status s${status[0]}">${escapeHtml(status)}×${n}</span>`)
    .join(' ');

function callersTable(title: string, attribute: string, callers: CallerFigures[]): string {
  const rows = callers
    .map(
      (c) =>
        `<tr data-${attribute}="${escapeHtml(c.name)}"><td><code>${escapeHtml(c.name)}</code></td><td>${c.requests}</td>` +
        `<td class="left">${statusList(c.byStatus)}</td></tr>`,
    )
    .join('');
  return (
    `<h2>${title}</h2><table><thead><tr><th>${attribute === 'client' ? 'Client' : 'Organisation (ODS)'}</th>` +
    `<th>Requests</th><th class="left">By status</th></tr></thead><tbody>` +
    `${rows || '<tr><td colspan="3">None yet</td></tr>'}</tbody></table>`
  );
}

function alarmsHtml(alarms: AlarmState[]): string {
  const firing = alarms.filter((a) => a.state === 'alarm').length;
  const items = alarms
    .map(
      (a) =>
        `<li class="alarm is-${a.state}" data-alarm="${a.runbook.id}" data-state="${a.state}">` +
        `<strong>${escapeHtml(a.runbook.title)}</strong> <span class="state">${a.state === 'alarm' ? 'ALARM' : a.state === 'ok' ? 'OK' : 'not measured'}</span>` +
        `<div>${escapeHtml(a.detail)}. Runbook: <code>${RUNBOOK_FOLDER}/${a.runbook.id}.md</code></div></li>`,
    )
    .join('');
  return `<h2>Alarm conditions <span class="count">${firing} in alarm</span></h2><ul class="alarms">${items}</ul>`;
}

function subscriptionsHtml(subscriptions: SubscriptionDelivery[]): string {
  const rows = subscriptions
    .map(
      (s) =>
        `<tr data-subscription="${escapeHtml(s.id)}" class="${s.deadLettered > 0 ? 'dead' : s.status === 'error' ? 'failing' : ''}">` +
        `<td class="left"><code>${escapeHtml(s.id.slice(0, 8))}</code></td><td class="left">${escapeHtml(s.owner)}</td>` +
        `<td class="left">${escapeHtml(s.topic)}</td><td class="left">${escapeHtml(s.status)}</td><td>${s.eventsSinceStart}</td>` +
        `<td>${s.delivered}</td><td>${s.deadLettered}</td>` +
        `<td class="left">${escapeHtml(s.lastError ?? '')}${s.lastErrorAt ? ` <small>${escapeHtml(s.lastErrorAt)}</small>` : ''}</td></tr>`,
    )
    .join('');
  return (
    '<h2>Subscriptions</h2><table><thead><tr><th class="left">Subscription</th><th class="left">Owner</th>' +
    '<th class="left">Topic</th><th class="left">Status</th><th>Last event</th><th>Delivered</th><th>Dead-lettered</th>' +
    `<th class="left">Last error</th></tr></thead><tbody>${rows || '<tr><td colspan="8">No subscriptions</td></tr>'}</tbody></table>`
  );
}

/** The figures as HTML: in the page, and on their own for the page's refresh. */
function figuresHtml(v: OpsView): string {
  const card = (id: string, label: string, value: number) =>
    `<div class="card"><div class="value" data-figure="${id}">${value}</div><div class="label">${escapeHtml(label)}</div></div>`;
  const cards = [
    card('requests', 'Requests (all, at the gateway)', v.totals.requests),
    card('4xx', '4xx responses', v.totals.status4xx),
    card('5xx', '5xx responses', v.totals.status5xx),
    ...opsHeadlines.map(([name, label]) => card(name, label, v.counters[name] ?? 0)),
  ].join('');
  const rows = v.routes
    .map(
      (r) =>
        `<tr data-route="${escapeHtml(r.route)}"><td><code>${escapeHtml(r.route)}</code></td><td>${r.requests}</td>` +
        `<td>${r.status2xx}</td><td>${r.status4xx}</td><td>${r.status5xx}</td>` +
        `<td>${r.p50}</td><td>${r.p90}</td><td>${r.p99}</td></tr>`,
    )
    .join('');
  const others = Object.entries(v.counters)
    .filter(([name]) => !opsHeadlines.some(([headline]) => headline === name))
    .map(([name, value]) => `<li><code>${escapeHtml(name)}</code>: ${value}</li>`)
    .join('');
  return (
    `<p class="taken" data-taken="${escapeHtml(v.takenAt)}">Figures as of ${escapeHtml(v.takenAt)}</p>` +
    alarmsHtml(v.alarms) +
    `<section class="cards">${cards}</section>` +
    `<h2>Errors by status</h2><p>${statusList(v.errorsByStatus) || 'None yet'}</p>` +
    callersTable('By client', 'client', v.clients) +
    callersTable('By organisation', 'organisation', v.organisations) +
    subscriptionsHtml(v.subscriptions) +
    '<h2>Routes</h2><table><thead><tr><th>Route</th><th>Requests</th><th>2xx</th><th>4xx</th><th>5xx</th>' +
    `<th>p50 ms</th><th>p90 ms</th><th>p99 ms</th></tr></thead><tbody>${rows || '<tr><td colspan="8">No requests yet</td></tr>'}</tbody></table>` +
    (others
      ? '<h2>Metrics the functions emit</h2><p class="note">Under their CloudWatch names, as each function counts them: ' +
        '<code>Requests</code> counts calls to the subscriptions and documents functions, <code>Responses</code> the ' +
        "FHIR function's answers. The gateway's own refusals (no token, no route) reach no function, so neither " +
        `matches the Requests card, which counts everything.</p><ul>${others}</ul>`
      : '')
  );
}

function renderOpsPage(view: OpsView): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sandbox ops: shared care record</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; color: #212b32; background: #f0f4f5; }
  h1 { margin: 0 0 .25rem; } p.note { margin: 0 0 1rem; color: #4c6272; }
  .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .75rem; }
  .card { background: #fff; border-left: 4px solid #005eb8; padding: .75rem 1rem; }
  .value { font-size: 1.8rem; font-weight: 700; } .label { color: #4c6272; }
  table { border-collapse: collapse; background: #fff; width: 100%; }
  th, td { text-align: right; padding: .4rem .6rem; border-bottom: 1px solid #d8dde0; font-variant-numeric: tabular-nums; }
  th:first-child, td:first-child, .left { text-align: left; }
  ul.alarms { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(24rem, 1fr)); gap: .5rem; }
  li.alarm { background: #fff; padding: .5rem .75rem; border-left: 6px solid #aeb7bd; }
  li.is-ok { border-left-color: #007f3b; } li.is-ok .state { color: #007f3b; }
  li.is-not-measured .state { color: #768692; }
  li.is-alarm { border-left-color: #d5281b; background: #fde8e6; } li.is-alarm .state { color: #d5281b; font-weight: 700; }
  li.alarm div { color: #4c6272; font-size: .9rem; }
  tr.dead td { background: #fde8e6; } tr.failing td { background: #fff4e5; }
  .status { display: inline-block; padding: 0 .3rem; border-radius: 3px; background: #e8edee; margin-right: .2rem; }
  .status.s4 { background: #fff4e5; } .status.s5 { background: #fde8e6; }
  #stale { display: none; background: #d5281b; color: #fff; padding: .75rem 1rem; font-weight: 700; margin-bottom: 1rem; }
  body.stale #stale { display: block; } body.stale main { opacity: .45; }
  .count { font-size: 1rem; color: #4c6272; font-weight: 400; }
</style>
</head>
<body>
<div id="stale" role="alert">Stale: the sandbox stopped answering. These figures are from <span id="stale-since"></span> and no longer change.</div>
<h1>Sandbox ops</h1>
<p class="note">The figures the deployment's CloudWatch dashboard shows, from this sandbox since
<span id="started">${escapeHtml(view.startedAt)}</span> (kept across restarts), with the deployment's alarm
conditions evaluated on them. Refreshes every 2 seconds; raw figures at <a href="/_ops/metrics.json">/_ops/metrics.json</a>.</p>
<main id="figures">${figuresHtml(view)}</main>
<script>
setInterval(async () => {
  try {
    const response = await fetch('/_ops/figures', { cache: 'no-store' });
    if (!response.ok) throw new Error(String(response.status));
    document.getElementById('figures').innerHTML = await response.text();
    document.body.classList.remove('stale');
  } catch {
    const taken = document.querySelector('[data-taken]');
    document.getElementById('stale-since').textContent = taken ? taken.dataset.taken : 'an earlier refresh';
    document.body.classList.add('stale');
  }
}, 2000);
</script>
</body>
</html>
`;
}
