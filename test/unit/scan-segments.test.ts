import { describe, expect, it } from 'vitest';
import { segmentCount } from '#shared/export/scan-segments';

// A 1 MiB page holds 1,024 items of 1 KiB; a call reads 8 pages; a segment should take about 3 calls:
// 24,576 items a segment.
const region = (items: number) => ({ items, tableBytes: items * 1024, pagesPerCall: 8, most: 16 });

describe('how many Scan segments an export takes', () => {
  it('splits a small region into few segments, so its calls still read full pages', () => {
    expect(segmentCount(region(49_152))).toBe(2);
    expect(segmentCount(region(49_153))).toBe(3);
  });

  it('splits a large region up to the declared most', () => {
    expect(segmentCount(region(245_760))).toBe(10);
    expect(segmentCount(region(5_000_000))).toBe(16);
  });

  it('takes one segment for an empty or tiny table', () => {
    expect(segmentCount(region(0))).toBe(1);
    expect(segmentCount(region(10))).toBe(1);
  });

  it('counts pages in items when the page is capped (the sandbox caps it at a few items)', () => {
    expect(segmentCount({ items: 1_000, tableBytes: 700_000, pagesPerCall: 8, pageItems: 5, most: 16 })).toBe(
      9,
    );
  });
});
