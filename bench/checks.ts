import { atLeast, atMost, budgets } from './budgets.ts';
import type { BundleFigures } from './cold-start/bundles.ts';
import type { InteractionFigures } from './cpu/cpu.ts';
import type { ThroughputFigures } from './http/http-throughput.ts';
import type { FloorFigures } from './http/storage-floor.ts';
import type { MemoryFigures } from './memory/peak-memory.ts';
import type { PeerComparison } from './peer/fwoa-comparison.ts';
import type { Check } from './report.ts';
import type { ScaleFigures } from './scale/scale.ts';
import { round } from './support/stats.ts';

const READ_CALLS = ['GetItem', 'BatchGetItem', 'Query', 'TransactGetItems'];

/** Every measured figure that has a budget, beside it. */
export function checks(figures: {
  interactions: InteractionFigures[];
  bundles: BundleFigures[];
  memory: MemoryFigures[];
  http: ThroughputFigures[];
  floor: FloorFigures[];
  scale: ScaleFigures;
  peer: PeerComparison;
}): Check[] {
  const out: Check[] = [];
  const find = (name: string) => {
    const found = figures.interactions.find((i) => i.name === name);
    if (!found) throw new Error(`No figures for ${name}`);
    return found;
  };
  const cpu: [string, number][] = [
    ['read', budgets.cpuMedianMs.read],
    ['read Patient', budgets.cpuMedianMs.read],
    ['create', budgets.cpuMedianMs.create],
    ['update', budgets.cpuMedianMs.update],
    ['$everything (50 resources)', budgets.cpuMedianMs.everything50],
  ];
  for (const [name, budget] of cpu) {
    const i = find(name);
    out.push({
      part: '1',
      what: `CPU median, ${name}`,
      unit: 'ms',
      ...atMost(i.cpuMs.median, budget),
      note: `p99 ${i.cpuMs.p99} ms`,
    });
  }
  for (const name of ['read', 'read Patient']) {
    const { calls } = find(name).storage;
    const reads = READ_CALLS.reduce((n, c) => n + (calls[c] ?? 0), 0);
    out.push({
      part: '2',
      what: `DynamoDB round trips, read part of ${name}`,
      unit: '',
      ...atMost(reads, budgets.readRoundTrips),
      note: `plus ${calls.PutItem ?? 0} audit PutItem before the answer: ${reads + (calls.PutItem ?? 0)} in all`,
    });
  }
  for (const name of ['create', 'update', 'transaction (20 entries)']) {
    const { calls } = find(name).storage;
    const transactions = calls.TransactWriteItems ?? 0;
    const others = Object.entries(calls).filter(([c]) => c !== 'TransactWriteItems');
    out.push({
      part: '2',
      what: `TransactWriteItems per ${name}`,
      unit: '',
      value: transactions,
      budget: budgets.writeTransactions,
      pass: transactions === budgets.writeTransactions && !others.some(([c]) => !READ_CALLS.includes(c)),
      note: others.length ? `besides: ${others.map(([c, n]) => `${c} ${n}`).join(', ')}` : 'no other call',
    });
  }
  const everything = find('$everything (50 resources)').storage.calls;
  out.push({
    part: '2',
    what: 'Query per $everything page',
    unit: '',
    value: everything.Query ?? 0,
    budget: budgets.everythingQueriesPerPage,
    pass: (everything.Query ?? 0) === budgets.everythingQueriesPerPage,
    note: `besides: BatchGetItem ${everything.BatchGetItem ?? 0} (access facts), PutItem ${everything.PutItem ?? 0} (audit)`,
  });
  // Issue 15's bars: what each interaction costs DynamoDB as AWS bills it, and its CPU.
  const bars = budgets.perInteraction;
  const issue15 = (name: string, what: string, unit: string, value: number, budget: number, note?: string) =>
    out.push({ part: '2', what: `${what}, ${name} (issue 15)`, unit, ...atMost(value, budget), note });
  const create = find('create');
  issue15('create', 'WRU as AWS bills', '', create.storage.billedWriteUnits, bars.create.billedWru);
  issue15('create', 'CPU median', 'ms', create.cpuMs.median, bars.create.cpuMs);
  const update = find('update');
  issue15('update', 'WRU as AWS bills', '', update.storage.billedWriteUnits, bars.update.billedWru);
  issue15('update', 'RRU', '', update.storage.readUnits, bars.update.rru);
  const read = find('read');
  issue15('read', 'round trips with its audit write', '', read.storage.roundTrips, bars.read.roundTrips);
  issue15('read', 'RRU', '', read.storage.readUnits, bars.read.rru);
  issue15('read', 'WRU as AWS bills', '', read.storage.billedWriteUnits, bars.read.billedWru);
  issue15('read', 'CPU median', 'ms', read.cpuMs.median, bars.read.cpuMs);
  const all = find('$everything (50 resources)');
  issue15(
    '$everything (50)',
    'audit WRU as AWS bills',
    '',
    all.storage.billedWriteUnits,
    bars.everything50.billedWru,
  );
  issue15('$everything (50)', 'CPU median', 'ms', all.cpuMs.median, bars.everything50.cpuMs);
  const baseline = figures.bundles.find((b) => b.name === 'sdk-baseline');
  for (const b of figures.bundles) {
    if (b === baseline) continue;
    out.push({
      part: '3',
      what: `bundle size, ${b.name}`,
      unit: 'KiB',
      ...atMost(round(b.bytes / 1024, 1), budgets.bundleKb),
    });
    out.push({
      part: '3',
      what: `import time, ${b.name}`,
      unit: 'ms',
      ...atMost(b.importMs, budgets.importMs),
      note: `without source maps ${b.importMsWithoutSourceMaps} ms; the DynamoDB SDK alone ${baseline?.importMs} ms`,
    });
  }
  for (const m of figures.memory) {
    out.push({
      part: '3',
      what: `peak RSS under load, ${m.name}`,
      unit: 'MB',
      ...atMost(m.peakRssMb, budgets.peakRssMb),
      note: m.loadDefined
        ? `${m.invocations} invocations, ${m.errors} errors`
        : 'after import only: no load defined',
    });
  }
  for (const h of figures.http) {
    out.push({
      part: '4',
      what: `HTTP errors at ${h.connections} connections`,
      unit: '',
      ...atMost(h.errors, 0),
      note: `${h.requests} requests`,
    });
    const floor = figures.floor.find((f) => f.connections === h.connections);
    if (!floor) continue;
    const share = round(h.requestsPerSecond / floor.requestsPerSecond, 2);
    const check = atLeast(share, budgets.throughputShareOfFloor);
    out.push({
      part: '4',
      what: `HTTP throughput / storage floor at ${h.connections} connections`,
      unit: '',
      ...(h.connections === 16 ? check : { ...check, pass: true }),
      note: `${h.requestsPerSecond} vs ${floor.requestsPerSecond} req/s${h.connections === 16 ? '' : ' (budgeted at 16 only)'}`,
    });
  }
  const [low] = figures.scale.tiers;
  const high = figures.scale.tiers.at(-1);
  if (low && high && high !== low) {
    const note = `${high.patients} vs ${low.patients} patients${high.patients < 100_000 ? ' (100,000 not reached)' : ''}`;
    const read = round(high.readMedianMs / low.readMedianMs, 2);
    const all = round(high.everythingMedianMs / low.everythingMedianMs, 2);
    out.push({
      part: '5',
      what: 'read latency, largest tier / 1,000 patients',
      unit: '×',
      ...atMost(read, budgets.scaleLatencyRatio),
      note,
    });
    out.push({
      part: '5',
      what: '$everything latency, largest tier / 1,000 patients',
      unit: '×',
      ...atMost(all, budgets.scaleLatencyRatio),
      note,
    });
  }
  for (const r of figures.peer.ratios) {
    const budget = budgets.peerRatio[r.workload as keyof typeof budgets.peerRatio];
    if (budget === undefined) continue;
    const pass = r.ratio >= budget && r.errors === 0;
    out.push({
      part: '7',
      what: `Ours / FWoA req/s, ${r.workload} at ${r.connections} connections`,
      unit: '×',
      value: r.ratio,
      budget,
      pass,
      note: `${r.errors} errors`,
    });
  }
  return out;
}
