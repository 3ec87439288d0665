import * as z from 'zod';
import { icbConfigSchema } from './types.ts';

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  format?: string;
  /** What the schema's refinements allow, in words (`.meta({ allowed })`). */
  allowed?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

/**
 * The ICB config's reference (`docs/CONFIG.md`), written from the schema itself, so the page cannot drift from
 * what `cdk synth` accepts: every field with its type, whether it is required, its default, allowed values and
 * what it is for. `scripts/config-docs.ts` writes it; a test checks the committed page is current.
 */
export function configReference(): string {
  const schema = z.toJSONSchema(icbConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const sections: string[] = [];
  const tables: { path: string; schema: JsonSchema }[] = [{ path: 'IcbConfig', schema }];
  while (tables.length > 0) {
    const { path, schema: object } = tables.shift() as { path: string; schema: JsonSchema };
    const rows = Object.entries(object.properties ?? {}).map(([key, field]) => {
      const nested = objectOf(field);
      if (nested)
        tables.push({
          path: `${path === 'IcbConfig' ? '' : `${path}.`}${key}${isList(field) ? '[]' : ''}`,
          schema: nested,
        });
      const required = object.required?.includes(key) && field.default === undefined ? 'yes' : 'no';
      return `| \`${key}\` | ${typeOf(field)} | ${required} | ${defaultOf(field)} | ${allowedOf(field)} | ${(field.description ?? '').replaceAll('|', '\\|')} |`;
    });
    sections.push(
      `## \`${path}\``,
      '',
      '| field | type | required | default | allowed | what it is |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    );
  }
  return [
    '# ICB config reference',
    '',
    'Generated from the schema in `infra/config/types.ts` by `npx tsx scripts/config-docs.ts`; do not edit by hand.',
    'Every object is strict: a key not listed here fails `cdk synth` with its path and the nearest known key.',
    'Rules between fields (organisations a supplier system acts for must be listed; no repeated ODS codes, client',
    'ids or key ids; `publicKeys` or `jwksUrl`, not both; the certificate in the deployment region) are checked too.',
    '',
    ...sections,
  ].join('\n');
}

function isList(field: JsonSchema): boolean {
  return field.type === 'array';
}

function objectOf(field: JsonSchema): JsonSchema | undefined {
  if (field.properties) return field;
  if (field.items?.properties) return field.items;
  return undefined;
}

function typeOf(field: JsonSchema): string {
  if (field.type === 'array') return `list of ${field.items ? typeOf(field.items) : 'values'}`;
  if (field.properties) return 'object';
  if (field.enum) return 'text';
  if (field.type === 'string') return field.format === 'uri' ? 'URL' : 'text';
  if (field.type === 'integer') return 'whole number';
  return String(field.type ?? 'value');
}

function defaultOf(field: JsonSchema): string {
  if (field.default === undefined) return '';
  return `\`${JSON.stringify(field.default)}\``;
}

function allowedOf(field: JsonSchema): string {
  const parts: string[] = [];
  if (field.allowed) parts.push(field.allowed);
  if (field.items?.allowed) parts.push(`each ${field.items.allowed}`);
  if (field.enum) parts.push(field.enum.map((v) => `\`${v}\``).join(', '));
  if (field.pattern) parts.push(`matches \`${field.pattern.replaceAll('|', '\\|')}\``);
  if (field.minimum !== undefined) parts.push(`at least ${field.minimum}`);
  if (field.exclusiveMinimum !== undefined) parts.push(`above ${field.exclusiveMinimum}`);
  if (field.maximum !== undefined && field.maximum < Number.MAX_SAFE_INTEGER)
    parts.push(`at most ${field.maximum}`);
  if (field.minItems) parts.push(`at least ${field.minItems} item${field.minItems > 1 ? 's' : ''}`);
  if (field.items?.pattern) parts.push(`each matches \`${field.items.pattern.replaceAll('|', '\\|')}\``);
  return parts.join('; ');
}
