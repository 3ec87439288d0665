/** One request as the sandbox's gateway saw it. */
export interface RequestRecord {
  /** `METHOD /path/template`, as in the route table. */
  route: string;
  method: string;
  status: number;
  ms: number;
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
  totals: { requests: number; status4xx: number; status5xx: number };
  routes: RouteFigures[];
  /** Counters others feed (`count`) and live figures read when asked (`gauge`), by metric name. */
  counters: Record<string, number>;
}

// Percentiles over the latest requests of each route, so a long-running sandbox stays small.
const SAMPLES_KEPT = 2000;

class RouteStats {
  requests = 0;
  byClass = { 2: 0, 4: 0, 5: 0 } as Record<number, number>;
  private samples: number[] = [];
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
  private readonly startedAt = new Date();
  private readonly routes = new Map<string, RouteStats>();
  private readonly counters = new Map<string, number>();
  private readonly gauges = new Map<string, () => number>();

  /** Records one request the gateway answered (its `onRequest` hook). */
  recordRequest(record: RequestRecord): void {
    let stats = this.routes.get(record.route);
    if (!stats) {
      stats = new RouteStats();
      this.routes.set(record.route, stats);
    }
    stats.add(record);
  }

  /** Adds to a named counter (a metric name the stack's dashboard also uses, where there is one). */
  count(name: string, value = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + value);
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
    return {
      startedAt: this.startedAt.toISOString(),
      totals: {
        requests: sum((r) => r.requests),
        status4xx: sum((r) => r.status4xx),
        status5xx: sum((r) => r.status5xx),
      },
      routes,
      counters,
    };
  }
}

/** The sandbox process's one registry: import it to feed the ops page. */
export const sandboxMetrics = new SandboxMetrics();
