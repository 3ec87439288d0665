/**
 * Measures what checking a 100 MB upload costs (CONTRACT §6): the streaming read of the object from S3-compatible
 * storage, its SHA-1 and its leading bytes, as the FHIR function does before claiming an upload. A child process
 * runs the storage (s3rver) and makes and uploads the document, so this process never holds it and its memory
 * figures are the check's own, as on Lambda where S3 is remote. Writes bench/results/document-verification.json.
 *
 * node --expose-gc --import tsx bench/documents/document-verification.ts [megabytes]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const BUCKET = 'bench-documents';
const KEY = 'uploads/bench';
const environment = (endpoint: string) => ({
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_ENDPOINT_URL_S3: endpoint,
  BUCKET_NAME: BUCKET,
});

if (process.argv[2] === '--storage') {
  // The child: storage holding a real PDF of the size asked for; says where, and what it declared, then serves.
  const [dir, megabytes] = [process.argv[3] as string, Number(process.argv[4])];
  const { startS3Local } = await import('#local/s3-local');
  const storage = await startS3Local(join(dir, 's3'), [BUCKET]);
  Object.assign(process.env, environment(storage.endpoint));
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  const { s3 } = await (await import('#shared/aws/s3')).s3Sdk();
  const { minimalPdf, sha1Base64 } = await import('#test/support/documents');
  const pdf = minimalPdf('Bench', megabytes * 1024 * 1024 - 700);
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: pdf, ContentType: 'application/pdf' }),
  );
  const declared = { contentType: 'application/pdf', size: pdf.length, hash: sha1Base64(pdf) };
  console.log(JSON.stringify({ endpoint: storage.endpoint, declared }));
  process.stdin.resume();
  process.stdin.on('end', () => storage.stop().then(() => process.exit(0)));
} else {
  const megabytes = Number(process.argv[2] ?? 100);
  const dir = mkdtempSync(join(tmpdir(), 'scr-bench-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--storage', dir, String(megabytes)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const [line] = await createInterface({ input: child.stdout })
    [Symbol.asyncIterator]()
    .next()
    .then((r) => [r.value]);
  const { endpoint, declared } = JSON.parse(line as string);
  Object.assign(process.env, environment(endpoint));
  const { readObject } = await import('#shared/documents/document-bucket');
  const { digestStream } = await import('#shared/documents/content-digest');
  const { contentProblems } = await import('#shared/documents/content-verification');
  const { MAX_UPLOAD_BYTES } = await import('#shared/documents/document-limits');
  globalThis.gc?.();

  const before = process.memoryUsage();
  const peak = { rss: before.rss, heapUsed: before.heapUsed, arrayBuffers: before.arrayBuffers };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
  }, 5);
  const started = performance.now();
  const object = await readObject(KEY);
  if (!object) throw new Error('The upload is missing');
  const digest = await digestStream(object.body, MAX_UPLOAD_BYTES);
  const problems = contentProblems(declared, digest, 'DocumentReference.content[0].attachment');
  const ms = performance.now() - started;
  clearInterval(sampler);

  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  const figures = {
    measured: new Date().toISOString(),
    node: process.versions.node,
    documentBytes: digest.size,
    verified: problems.length === 0,
    milliseconds: Math.round(ms),
    megabytesPerSecond: Math.round(digest.size / 1024 / 1024 / (ms / 1000)),
    rssBeforeMb: mb(before.rss),
    peakRssMb: mb(peak.rss),
    growthMb: {
      rss: mb(peak.rss - before.rss),
      heapUsed: mb(peak.heapUsed - before.heapUsed),
      arrayBuffers: mb(peak.arrayBuffers - before.arrayBuffers),
    },
    note: 'Streaming GET from s3rver on localhost (another process), SHA-1 and sniffing in one pass.',
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/document-verification.json', `${JSON.stringify(figures, null, 2)}\n`);
  console.log(JSON.stringify(figures, null, 2));
  child.stdin.end();
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
