/**
 * How long an admission takes to reach a subscriber (CONTRACT §5): from the write's 201 (and from sending it)
 * to the rest-hook request arriving at a receiver on 127.0.0.1, through the outbox stream poller, the event bus,
 * the subscription matcher, the delivery queue and the delivery function. Admissions are paced below what
 * DynamoDB Local can write, so the figure is latency, not backlog. This was a test once; speed belongs here.
 *
 * `npm run bench` runs it against its sandbox; alone it starts its own and writes
 * bench/results/notification-latency.json:
 *
 * node --import tsx bench/events/notification-latency.ts [events] [interval-ms]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accessToken } from '../support/access-token.ts';
import { benchDir, tmpDir } from '../support/bench-paths.ts';
import { nhsNumbers, patient } from '../support/fixtures.ts';
import { sandboxFhir } from '../support/sandbox-fhir.ts';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.ts';
import { round, type Summary, summarise } from '../support/stats.ts';

const TOPIC = 'https://shared-care-record.org/fhir/SubscriptionTopic/admission';
const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

export interface NotificationLatency {
  events: number;
  delivered: number;
  intervalMs: number;
  /** The machine's 1-minute load average before and after: on a shared machine the figures mean little without it. */
  loadAverage: [number, number];
  /** From the write's 201 to the notification's arrival, ms. */
  fromCommitMs: Summary;
  /** From sending the write to the notification's arrival, ms. */
  fromRequestMs: Summary;
}

/** A rest-hook endpoint that notes when each focus (`Encounter/<id>`) first arrived, on the bench's clock. */
async function receiver() {
  const arrived = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        entry?: { request?: { url?: string } }[];
      };
      const focus = body.entry?.[1]?.request?.url;
      if (focus && !arrived.has(focus)) arrived.set(focus, at);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/hook`,
    arrived,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const inpatientAdmission = (nhs: string) => ({
  resourceType: 'Encounter',
  status: 'in-progress',
  class: {
    system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
    code: 'IMP',
    display: 'inpatient encounter',
  },
  subject: { reference: `Patient/${nhs}` },
});

/**
 * Registers one patient at the bench's practice, subscribes the practice to its admissions, then writes `events`
 * admissions as the acute trust, one every `intervalMs`, and times each one's notification.
 */
export async function measureNotificationLatency(
  sandbox: SandboxProcess,
  { events = 200, intervalMs = 100, waitSeconds = 120 } = {},
): Promise<NotificationLatency> {
  const hook = await receiver();
  const loadBefore = round(loadavg()[0] ?? 0, 2);
  try {
    const [gp, acute] = [
      await accessToken(sandbox.clients, 'gp'),
      await accessToken(sandbox.clients, 'acute'),
    ];
    const nhs = nhsNumbers('955').next().value as string;
    await sandboxFhir(sandbox, gp, { method: 'PUT', path: `/Patient/${nhs}`, body: patient(nhs) }, 201);
    const subscription = {
      resourceType: 'Subscription',
      status: 'requested',
      reason: 'Benchmark: admission notification latency',
      criteria: TOPIC,
      _criteria: {
        extension: [{ url: `${BACKPORT}/backport-filter-criteria`, valueString: `patient=Patient/${nhs}` }],
      },
      channel: {
        type: 'rest-hook',
        endpoint: hook.endpoint,
        payload: 'application/fhir+json',
        _payload: { extension: [{ url: `${BACKPORT}/backport-payload-content`, valueCode: 'id-only' }] },
      },
    };
    await sandboxFhir(sandbox, gp, { method: 'POST', path: '/Subscription', body: subscription }, 201);

    const written = new Map<string, { sent: number; committed: number }>();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < events; i++) {
      const sent = performance.now();
      writes.push(
        sandboxFhir(
          sandbox,
          acute,
          { method: 'POST', path: '/Encounter', body: inpatientAdmission(nhs) },
          201,
        ).then((created) => {
          written.set(`Encounter/${created.id}`, { sent, committed: performance.now() });
        }),
      );
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    await Promise.all(writes);
    const deadline = performance.now() + waitSeconds * 1000;
    while (hook.arrived.size < events && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));

    const fromCommit: number[] = [];
    const fromRequest: number[] = [];
    for (const [focus, write] of written) {
      const at = hook.arrived.get(focus);
      if (at === undefined) continue;
      fromCommit.push(at - write.committed);
      fromRequest.push(at - write.sent);
    }
    const rounded = (s: Summary): Summary => ({
      n: s.n,
      median: round(s.median, 1),
      p99: round(s.p99, 1),
      mean: round(s.mean, 1),
      max: round(s.max, 1),
    });
    return {
      events,
      delivered: fromCommit.length,
      intervalMs,
      loadAverage: [loadBefore, round(loadavg()[0] ?? 0, 2)],
      fromCommitMs: rounded(summarise(fromCommit)),
      fromRequestMs: rounded(summarise(fromRequest)),
    };
  } finally {
    await hook.stop();
  }
}

/** Writes the figures beside the other parts' results. */
export function writeNotificationLatency(figures: NotificationLatency): string {
  const file = join(benchDir, 'results', 'notification-latency.json');
  mkdirSync(join(benchDir, 'results'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  return file;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [events, intervalMs] = [Number(process.argv[2] ?? 200), Number(process.argv[3] ?? 100)];
  const dir = join(tmpDir, 'notification-latency');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
  const sandbox = await startSandboxProcess(dir);
  try {
    const figures = await measureNotificationLatency(sandbox, { events, intervalMs });
    console.log(JSON.stringify(figures, null, 2));
    console.log(`Wrote ${writeNotificationLatency(figures)}`);
  } finally {
    await sandbox.stop();
  }
}
