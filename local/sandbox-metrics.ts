import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** One request as the sandbox's gateway saw it. */
export interface RequestRecord {
  /** `METHOD /path/template`, as in the route table. */
  route: string;
  method: string;
  status: number;
  ms: number;
  /** The client it came from (the token's, or the assertion's `iss` at the token endpoint), when known. */
  client?: string;
  /** The organisation it acted for, when known. */
  organisation?: string;
}

/** Requests of one client or organisation, by status code. */
export interface CallerFigures {
  name: string;
  requests: number;
  /** Count by HTTP status (`"200"`, `"403"`, …). */
  byStatus: Record<string, number>;
}

/** A route's figures: requests by status class and latency percentiles over its recent requests. */
export interface RouteFigures {
  route: string;
  requests: number;
  status2xx: number;
  status4xx: number;
  status5xx: number;
  p50: number;
  p90: number;
  p99: number;
}

/** What the ops page shows, as `/_ops/metrics.json` serves it. */
export interface OpsSnapshot {
  startedAt: string;
  /** When these figures were taken. */
  takenAt: string;
  totals: { requests: number; status4xx: number; status5xx: number };
  /** Every 4xx and 5xx by its status code. */
  errorsByStatus: Record<string, number>;
  clients: CallerFigures[];
  organisations: CallerFigures[];
  routes: RouteFigures[];
  /** Counters others feed (`count`) and live figures read when asked (`gauge`), by metric name. */
  counters: Record<string, number>;
  /** Times of the recent uses of counters that alarm per hour (break-glass), ISO strings. */
  recent: Record<string, string[]>;
}

// Percentiles over the latest requests of each route, so a long-running sandbox stays small.
const SAMPLES_KEPT = 2000;

class RouteStats {
  requests = 0;
  byClass = { 2: 0, 4: 0, 5: 0 } as Record<number, number>;
  samples: number[] = [];
  private next = 0;

  add(record: RequestRecord): void {
    this.requests++;
    const statusClass = Math.floor(record.status / 100);
    this.byClass[statusClass] = (this.byClass[statusClass] ?? 0) + 1;
    if (this.samples.length < SAMPLES_KEPT) this.samples.push(record.ms);
    else this.samples[this.next] = record.ms;
    this.next = (this.next + 1) % SAMPLES_KEPT;
  }

  /** Nearest-rank percentile, as CloudWatch's pNN statistics are, in milliseconds to one decimal. */
  percentile(p: number): number {
    if (this.samples.length === 0) return 0;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return Math.round((sorted[rank - 1] as number) * 10) / 10;
  }
}

/**
 * The sandbox's own metrics, the local counterpart of the deployment's CloudWatch figures: requests, status
 * classes and latency percentiles per route (from the gateway), and named counters and gauges that any part of
 * the sandbox feeds — events published, dead letters, deliveries, denials, break-glass.
 *
 * @example
 * sandboxMetrics.count('DeliverySucceeded');
 * sandboxMetrics.gauge('DeadLetters', () => bus.deadLetters.length);
 */
export class SandboxMetrics {
  private startedAt = new Date();
  private readonly routes = new Map<string, RouteStats>();
  private readonly counters = new Map<string, number>();
  private readonly gauges = new Map<string, () => number>();
  private readonly errorsByStatus = new Map<string, number>();
  private readonly clients = new Map<string, CallerFigures>();
  private readonly organisations = new Map<string, CallerFigures>();
  private readonly recent = new Map<string, number[]>();

  /** Records one request the gateway answered (its `onRequest` hook). */
  recordRequest(record: RequestRecord): void {
    let stats = this.routes.get(record.route);
    if (!stats) {
      stats = new RouteStats();
      this.routes.set(record.route, stats);
    }
    stats.add(record);
    const status = String(record.status);
    if (record.status >= 400) this.errorsByStatus.set(status, (this.errorsByStatus.get(status) ?? 0) + 1);
    if (record.client) countCaller(this.clients, record.client, status);
    if (record.organisation) countCaller(this.organisations, record.organisation, status);
  }

  /** Adds to a named counter (a metric name the stack's dashboard also uses, where there is one). */
  count(name: string, value = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + value);
    if (HOURLY.includes(name)) {
      const hourAgo = Date.now() - 3_600_000;
      const times = (this.recent.get(name) ?? []).filter((t) => t > hourAgo);
      for (let i = 0; i < value; i++) times.push(Date.now());
      this.recent.set(name, times);
    }
  }

  /** A figure read afresh for every snapshot, for things that keep their own count (queues, lists). */
  gauge(name: string, read: () => number): void {
    this.gauges.set(name, read);
  }

  snapshot(): OpsSnapshot {
    const routes = [...this.routes.entries()]
      .map(([route, s]) => ({
        route,
        requests: s.requests,
        status2xx: s.byClass[2] ?? 0,
        status4xx: s.byClass[4] ?? 0,
        status5xx: s.byClass[5] ?? 0,
        p50: s.percentile(50),
        p90: s.percentile(90),
        p99: s.percentile(99),
      }))
      .sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route));
    const sum = (f: (r: RouteFigures) => number) => routes.reduce((n, r) => n + f(r), 0);
    const counters = Object.fromEntries(this.counters);
    for (const [name, read] of this.gauges) counters[name] = read();
    const byRequests = (m: Map<string, CallerFigures>) =>
      [...m.values()].map((c) => structuredClone(c)).sort((a, b) => b.requests - a.requests);
    const hourAgo = Date.now() - 3_600_000;
    return {
      startedAt: this.startedAt.toISOString(),
      takenAt: new Date().toISOString(),
      totals: {
        requests: sum((r) => r.requests),
        status4xx: sum((r) => r.status4xx),
        status5xx: sum((r) => r.status5xx),
      },
      errorsByStatus: Object.fromEntries([...this.errorsByStatus].sort(([a], [b]) => a.localeCompare(b))),
      clients: byRequests(this.clients),
      organisations: byRequests(this.organisations),
      routes,
      counters,
      recent: Object.fromEntries(
        [...this.recent].map(([name, times]) => [
          name,
          times.filter((t) => t > hourAgo).map((t) => new Date(t).toISOString()),
        ]),
      ),
    };
  }

  /** Saves the figures (not the gauges, which are read live), so a restarted sandbox carries on counting. */
  save(file: string): void {
    const routes = Object.fromEntries(
      [...this.routes].map(([route, s]) => [
        route,
        { requests: s.requests, byClass: s.byClass, samples: s.samples },
      ]),
    );
    const state = {
      startedAt: this.startedAt.toISOString(),
      routes,
      counters: Object.fromEntries(this.counters),
      errorsByStatus: Object.fromEntries(this.errorsByStatus),
      clients: [...this.clients.values()],
      organisations: [...this.organisations.values()],
      recent: Object.fromEntries(this.recent),
    };
    writeFileSync(file, JSON.stringify(state));
  }

  /** Restores what `save` wrote, if there is such a file; a damaged file starts the figures afresh. */
  load(file: string): void {
    if (!existsSync(file)) return;
    try {
      const state = JSON.parse(readFileSync(file, 'utf8'));
      this.startedAt = new Date(state.startedAt);
      for (const [route, s] of Object.entries(state.routes ?? {}) as [string, Partial<RouteStats>][]) {
        const stats = new RouteStats();
        stats.requests = Number(s.requests ?? 0);
        stats.byClass = { ...stats.byClass, ...(s.byClass ?? {}) };
        stats.samples = Array.isArray(s.samples) ? s.samples.map(Number) : [];
        this.routes.set(route, stats);
      }
      for (const [k, v] of Object.entries(state.counters ?? {})) this.counters.set(k, Number(v));
      for (const [k, v] of Object.entries(state.errorsByStatus ?? {})) this.errorsByStatus.set(k, Number(v));
      for (const c of state.clients ?? []) this.clients.set(c.name, c);
      for (const o of state.organisations ?? []) this.organisations.set(o.name, o);
      for (const [k, v] of Object.entries(state.recent ?? {}))
        this.recent.set(k, (v as number[]).map(Number));
    } catch {
      // Figures are a convenience: a file cut short by a crash is not worth refusing to start over.
    }
  }
}

/** Counters whose alarm counts uses per hour, so their times are kept. */
const HOURLY = ['BreakGlass'];

function countCaller(map: Map<string, CallerFigures>, name: string, status: string): void {
  const figures = map.get(name) ?? { name, requests: 0, byStatus: {} };
  figures.requests++;
  figures.byStatus[status] = (figures.byStatus[status] ?? 0) + 1;
  map.set(name, figures);
}

/** The sandbox process's one registry: import it to feed the ops page. */
export const sandboxMetrics = new SandboxMetrics();
