/** Calls of full pages a segment should take before the table is split further. */
const CALLS_PER_SEGMENT = 3;
/** DynamoDB's page: a Scan stops after 1 MB of items read. */
const PAGE_BYTES = 1024 * 1024;

/**
 * How many parallel Scan segments an export splits the table into: enough that each takes about three calls
 * of full pages, at most `most`. A small region is then not split into segments of a page or two, and every
 * call but a segment's last reads `pagesPerCall` full pages: a call's memory follows the call, never the region.
 * `pageItems` is the page's item cap when one is set (the sandbox sets one), else a page is 1 MB of items.
 *
 * @example segmentCount({ items: 49_152, tableBytes: 49_152 * 1024, pagesPerCall: 8, most: 16 }) // 2
 */
export function segmentCount(table: {
  items: number;
  tableBytes: number;
  pagesPerCall: number;
  pageItems?: number;
  most: number;
}): number {
  const itemBytes = table.items ? table.tableBytes / table.items : 0;
  const itemsPerPage = table.pageItems ?? (itemBytes ? Math.max(1, Math.floor(PAGE_BYTES / itemBytes)) : 1);
  const wanted = Math.ceil(table.items / (CALLS_PER_SEGMENT * table.pagesPerCall * itemsPerPage));
  return Math.min(table.most, Math.max(1, wanted));
}
