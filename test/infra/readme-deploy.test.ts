import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { icbConfig, icbs } from '#infra/config/icbs';
import { stackName } from '#infra/stack';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const outdir = mkdtempSync(join(tmpdir(), 'scr-readme-synth-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The shell commands of the README's deploy section, in order, up to and including `cdk synth`. */
function deployCommandsUpToSynth(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Deploy to an ICB'));
  if (!section) throw new Error('README.md has no "Deploy to an ICB" section');
  const commands = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap(([, block]) =>
    (block as string)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  const synth = commands.findIndex((c) => / cdk synth /.test(c));
  if (synth < 0) throw new Error("README.md's deploy section has no cdk synth");
  return commands.slice(0, synth + 1);
}

const shell = (command: string) =>
  run('sh', ['-c', command], { cwd: root, maxBuffer: 64 * 1024 * 1024, env: process.env });

describe("the README's deploy section, followed literally up to cdk synth", () => {
  const commands = deployCommandsUpToSynth();

  it('starts from a clone, installs with npm ci, checks the tools and synthesises the example ICB', () => {
    expect(commands[0]).toMatch(/^git clone /);
    expect(commands).toContain('npm ci');
    expect(commands.at(-1)).toBe('npx cdk synth -c icb=example-icb');
  });

  // The clone is this checkout. `npm ci` runs as a dry run: it checks the lock file and package.json agree
  // without replacing the node_modules the test suite is running from.
  it.each(commands.slice(1, -1))('runs `%s`', async (command) => {
    const { stdout } = await shell(command === 'npm ci' ? 'npm ci --dry-run' : command);

    if (command === 'npx node --version') expect(stdout.trim()).toMatch(/^v24\./);
  });

  it('synthesises every example ICB offline, cdk-nag clean, into a template with its dashboards', async () => {
    const synth = commands.at(-1) as string;
    await Promise.all(
      Object.keys(icbs).map((icb) =>
        shell(`${synth.replace('icb=example-icb', `icb=${icb}`)} -q -o ${join(outdir, icb)}`),
      ),
    );

    for (const icb of Object.keys(icbs)) {
      const file = join(outdir, icb, `${stackName(icbConfig(icb))}.template.json`);
      expect(existsSync(file), file).toBe(true);
      const template = JSON.parse(readFileSync(file, 'utf8')) as {
        Resources: Record<string, { Type: string }>;
      };
      const types = Object.values(template.Resources).map((r) => r.Type);
      expect(types.filter((t) => t === 'AWS::CloudWatch::Dashboard')).toHaveLength(2);
      expect(types).toContain('AWS::CloudWatch::Alarm');
    }
  }, 120_000);
});
