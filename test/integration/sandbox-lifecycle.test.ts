import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '#local/free-port';
import type { SandboxClientsFile } from '#local/sandbox-clients';
import { ukPatient } from '../support/fixtures.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { ownSandboxToken } from '../support/own-sandbox-token.ts';

/** Starts `npm start`'s entry point as a developer would, in its own folder and port. */
async function start(dir: string, port: number, fresh: boolean): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'local/start.ts', '--dir', dir, ...(fresh ? ['--fresh'] : [])],
    {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((ready, fail) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
      if (out.includes(`Sandbox ready: http://localhost:${port}`)) ready();
    });
    child.stderr?.on('data', (d) => {
      out += String(d);
    });
    child.once('exit', (code) => fail(new Error(`exited ${code}: ${out}`)));
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
}

function javaFor(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', `DynamoDBLocal.jar.*${dir}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

describe('the sandbox as a developer runs it (CONTRACT §1)', () => {
  it('keeps data across a restart, and leaves no Java process behind when stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scr-lifecycle-'));
    const port = await freePort();
    const nhs = newNhsNumber();

    const first = await start(dir, port, true);
    expect(javaFor(dir)).toHaveLength(1);
    const clients = JSON.parse(readFileSync(join(dir, 'clients.json'), 'utf8')) as SandboxClientsFile;
    const headers = {
      Authorization: `Bearer ${await ownSandboxToken(clients)}`,
      'Content-Type': 'application/fhir+json',
    };
    const put = await fetch(`${clients.fhirBase}/Patient/${nhs}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify(ukPatient(nhs)),
    });
    expect(put.status).toBe(201);
    await stop(first);
    expect(javaFor(dir)).toEqual([]);

    const second = await start(dir, port, false);
    try {
      const again = JSON.parse(readFileSync(join(dir, 'clients.json'), 'utf8')) as SandboxClientsFile;
      expect(again.clients.map((c) => c.kid)).toEqual(clients.clients.map((c) => c.kid));
      const read = await fetch(`${clients.fhirBase}/Patient/${nhs}`, {
        headers: { Authorization: `Bearer ${await ownSandboxToken(again)}` },
      });
      expect(read.status).toBe(200);
    } finally {
      await stop(second);
    }
    expect(javaFor(dir)).toEqual([]);
  });

  it('starts empty with --fresh', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scr-fresh-'));
    const port = await freePort();
    const nhs = newNhsNumber();
    const first = await start(dir, port, true);
    const clients = JSON.parse(readFileSync(join(dir, 'clients.json'), 'utf8')) as SandboxClientsFile;
    const headers = {
      Authorization: `Bearer ${await ownSandboxToken(clients)}`,
      'Content-Type': 'application/fhir+json',
    };
    const put = await fetch(`${clients.fhirBase}/Patient/${nhs}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify(ukPatient(nhs)),
    });
    expect(put.status).toBe(201);
    await stop(first);
    const second = await start(dir, port, true);
    try {
      const fresh = JSON.parse(readFileSync(join(dir, 'clients.json'), 'utf8')) as SandboxClientsFile;
      const read = await fetch(`${fresh.fhirBase}/Patient/${nhs}`, {
        headers: { Authorization: `Bearer ${await ownSandboxToken(fresh)}` },
      });
      // Gone with --fresh: not registered, which answers as no relationship does (CONTRACT §4).
      expect(read.status).toBe(403);
      const seeded = await fetch(`${fresh.fhirBase}/Organization/A81001`, {
        headers: { Authorization: `Bearer ${await ownSandboxToken(fresh)}` },
      });
      expect(seeded.status).toBe(200);
    } finally {
      await stop(second);
    }
  });
});
