import { writeFileSync } from 'node:fs';
import { configReference } from '#infra/config/config-reference';

/** Writes `docs/CONFIG.md`, the ICB config's reference, from its schema: `npx tsx scripts/config-docs.ts`. */
writeFileSync(new URL('../docs/CONFIG.md', import.meta.url), configReference());
