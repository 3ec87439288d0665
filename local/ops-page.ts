import { serviceMetricNames } from '#shared/observability/metric-names';
import type { LocalRoute } from './gateway.ts';
import type { OpsSnapshot, SandboxMetrics } from './sandbox-metrics.ts';

/** The headline figures, by counter name, in the order the page shows them, with what each means. */
export const opsHeadlines: [name: string, label: string][] = [
  [serviceMetricNames.eventsPublished, 'Events published'],
  [serviceMetricNames.deliverySucceeded, 'Deliveries succeeded'],
  [serviceMetricNames.deliveryFailed, 'Delivery attempts failed'],
  [serviceMetricNames.deliveryDeadLettered, 'Deliveries dead-lettered'],
  ['DeadLetters', 'Event rule dead letters'],
  ['FailedStreamBatches', 'Failed stream batches'],
  [serviceMetricNames.accessDenied, 'Access denied'],
  [serviceMetricNames.breakGlass, 'Break-glass uses'],
  [serviceMetricNames.relationshipStarted, 'Relationships started'],
];

/**
 * `/_ops`: the sandbox's ops page, the same figures ops read off the deployment's CloudWatch dashboard, from the
 * sandbox's own metrics. `/_ops/metrics.json` serves them as JSON (for scripts and tests) and `/_ops/figures` as
 * the HTML the page's script swaps in on each refresh. Sandbox only: nothing like it is deployed.
 */
export function opsPage(metrics: SandboxMetrics): LocalRoute {
  const pages: Record<string, [contentType: string, render: (s: OpsSnapshot) => string]> = {
    '/_ops': ['text/html; charset=utf-8', renderOpsPage],
    '/_ops/figures': ['text/html; charset=utf-8', figuresHtml],
    '/_ops/metrics.json': ['application/json', (s) => JSON.stringify(s)],
  };
  return (req, res) => {
    const page = pages[(req.url ?? '/').split('?')[0] as string];
    if (req.method !== 'GET' || !page) return false;
    const [contentType, render] = page;
    res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
    res.end(render(metrics.snapshot()));
    return true;
  };
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The figures as HTML: in the page, and on their own for the page's refresh. */
function figuresHtml(s: OpsSnapshot): string {
  const card = (id: string, label: string, value: number) =>
    `<div class="card"><div class="value" data-figure="${id}">${value}</div><div class="label">${escapeHtml(label)}</div></div>`;
  const cards = [
    card('requests', 'Requests', s.totals.requests),
    card('4xx', '4xx responses', s.totals.status4xx),
    card('5xx', '5xx responses', s.totals.status5xx),
    ...opsHeadlines.map(([name, label]) => card(name, label, s.counters[name] ?? 0)),
  ].join('');
  const rows = s.routes
    .map(
      (r) =>
        `<tr data-route="${escapeHtml(r.route)}"><td><code>${escapeHtml(r.route)}</code></td><td>${r.requests}</td>` +
        `<td>${r.status2xx}</td><td>${r.status4xx}</td><td>${r.status5xx}</td>` +
        `<td>${r.p50}</td><td>${r.p90}</td><td>${r.p99}</td></tr>`,
    )
    .join('');
  const others = Object.entries(s.counters)
    .filter(([name]) => !opsHeadlines.some(([headline]) => headline === name))
    .map(([name, value]) => `<li><code>${escapeHtml(name)}</code>: ${value}</li>`)
    .join('');
  return (
    `<section class="cards">${cards}</section>` +
    '<h2>Routes</h2><table><thead><tr><th>Route</th><th>Requests</th><th>2xx</th><th>4xx</th><th>5xx</th>' +
    `<th>p50 ms</th><th>p90 ms</th><th>p99 ms</th></tr></thead><tbody>${rows || '<tr><td colspan="8">No requests yet</td></tr>'}</tbody></table>` +
    (others ? `<h2>Other counters</h2><ul>${others}</ul>` : '')
  );
}

function renderOpsPage(snapshot: OpsSnapshot): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sandbox ops: shared care record</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; color: #212b32; background: #f0f4f5; }
  h1 { margin: 0 0 .25rem; } p.note { margin: 0 0 1.5rem; color: #4c6272; }
  .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .75rem; }
  .card { background: #fff; border-left: 4px solid #005eb8; padding: .75rem 1rem; }
  .value { font-size: 1.8rem; font-weight: 700; } .label { color: #4c6272; }
  table { border-collapse: collapse; background: #fff; width: 100%; }
  th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #d8dde0; }
  td:not(:first-child), th:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums; }
</style>
</head>
<body>
<h1>Sandbox ops</h1>
<p class="note">The figures the deployment's CloudWatch dashboard shows, from this sandbox since
<span id="started">${escapeHtml(snapshot.startedAt)}</span>. Refreshes every 2 seconds; raw figures at
<a href="/_ops/metrics.json">/_ops/metrics.json</a>.</p>
<main id="figures">${figuresHtml(snapshot)}</main>
<script>
setInterval(async () => {
  try {
    const response = await fetch('/_ops/figures', { cache: 'no-store' });
    if (response.ok) document.getElementById('figures').innerHTML = await response.text();
  } catch {}
}, 2000);
</script>
</body>
</html>
`;
}
