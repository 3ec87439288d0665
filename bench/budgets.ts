/**
 * The performance budgets of issue 8, on this machine (2 cores, Node 24), in one place: each figure the
 * benchmark measures is reported beside the budget named here.
 */
export const budgets = {
  /** Median CPU time per request, in ms. */
  cpuMedianMs: { read: 2, create: 4, update: 4, everything50: 8 },
  /** DynamoDB round trips of the read part of a read by id (the audit write is counted apart). */
  readRoundTrips: 2,
  /** Every write is exactly one TransactWriteItems. */
  writeTransactions: 1,
  /** $everything: one Query per page. */
  everythingQueriesPerPage: 1,
  bundleKb: 400,
  importMs: 80,
  peakRssMb: 150,
  /** HTTP throughput at 16 connections as a share of the storage floor's. */
  throughputShareOfFloor: 0.7,
  /** Latency at 100,000 patients over latency at 1,000. */
  scaleLatencyRatio: 1.2,
  /**
   * Issue 15's bars per interaction: write units as AWS bills them, read units, and CPU median in ms (beside
   * issue 8's CPU budgets above, which they tighten).
   */
  perInteraction: {
    create: { billedWru: 6, cpuMs: 1.2 },
    update: { billedWru: 8, rru: 1 },
    read: { roundTrips: 2, rru: 2, billedWru: 1, cpuMs: 1.0 },
    everything50: { billedWru: 3, cpuMs: 2.5 },
  },
  /** Our requests per second over FHIR Works on AWS's, same machine and script, one run (issue 15). */
  peerRatio: { read: 1.0, create: 1.0, crud: 1.5 },
  /**
   * Bulk export (issue 19): each step's peak RSS with 100,000 patients over its peak with 10,000 (and with 200,000
   * over 100,000). A step that held its share of the region would grow with it, tenfold; the margin allows for
   * V8's heap sizing, which in one run put the same full call's RSS 10% apart in either direction.
   */
  exportRssGrowth: 1.5,
} as const;

/** A figure beside its budget. */
export interface Checked {
  value: number;
  budget: number;
  pass: boolean;
}

/** Checks a figure against an upper bound. */
export const atMost = (value: number, budget: number): Checked => ({ value, budget, pass: value <= budget });

/** Checks a figure against a lower bound. */
export const atLeast = (value: number, budget: number): Checked => ({ value, budget, pass: value >= budget });
