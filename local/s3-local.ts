import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';

/** A running S3-compatible server (s3rver), path-style, with the access key `S3RVER`/`S3RVER`. */
export interface S3Local {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts s3rver on a free port, keeping objects in `directory`, with `buckets` created. */
export async function startS3Local(directory: string, buckets: string[]): Promise<S3Local> {
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = (await server.run()) as { port: number };
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => server.close() };
}
