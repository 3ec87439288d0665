import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export const optOutUsage = `npm run icb -- opt-out load <file> [--replace] [--table <table name> | --sandbox-dir <dir>]
  Loads the national data opt-out file the ICB receives (one NHS number a line) into the deployment's register:
  every number is checked (Modulus 11) first and a bad file is refused whole, naming its lines. Without
  --replace the numbers are added; with it the register becomes exactly the file. --table names the record
  table of a deployment (AWS credentials from the environment); without it, the running sandbox's
  (.sandbox/sandbox.json). Exports leave these patients out from the next one on.`;

/** `npm run icb -- opt-out load <file> [--replace]`: the register is table data, not config, so it is written directly. */
export async function optOutCommand(argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      replace: { type: 'boolean' },
      table: { type: 'string' },
      'sandbox-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  const [, action, file] = positionals;
  if (values.help || action !== 'load' || !file) return optOutUsage;
  target(values.table, values['sandbox-dir'] ?? '.sandbox');
  // Imported once the environment names the table and its endpoint: the SDK clients read them when made.
  const { optOutNhsNumbers } = await import('#shared/export/opt-out-file');
  const { addToOptOutRegister, replaceOptOutRegister } = await import('#shared/export/opt-out-store');
  const numbers = optOutNhsNumbers(readFileSync(file, 'utf8'));
  if (values.replace) {
    const { removed } = await replaceOptOutRegister(numbers);
    return `The opt-out register now holds the ${numbers.length} NHS numbers of ${file} (${removed} no longer listed were removed)`;
  }
  await addToOptOutRegister(numbers);
  return `Added the ${numbers.length} NHS numbers of ${file} to the opt-out register`;
}

function target(table: string | undefined, sandboxDir: string): void {
  if (table) {
    process.env.TABLE_NAME = table;
    return;
  }
  const info = join(sandboxDir, 'sandbox.json');
  if (!existsSync(info))
    throw new Error(`Name the deployment's table with --table, or start the sandbox (${info} is missing)`);
  const sandbox = JSON.parse(readFileSync(info, 'utf8')) as { dynamodbEndpoint: string; tableName: string };
  Object.assign(process.env, {
    TABLE_NAME: sandbox.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: sandbox.dynamodbEndpoint,
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
}
