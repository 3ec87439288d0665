import {
  type Cipheriv,
  createCipheriv,
  createDecipheriv,
  type Decipheriv,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import { cursorSecret } from '../search/cursor-secret.ts';

/**
 * Ids that say which patient's partition a clinical resource lives in, so a read or update by id needs no lookup
 * in the by-id index. That index is eventually consistent on AWS: a client given a 201 could read 404 from another
 * container a moment later (DynamoDB Local's indexes are immediate, which hid it; `--index-lag-ms` shows it).
 *
 * An id is one AES block, encrypted with a key derived from the deployment's cursor secret, written in hex
 * (32 characters, a valid FHIR id): the NHS number (5 bytes), a mark (3 bytes) and 8 random bytes. Nobody without
 * the key can read the NHS number from an id or link two ids of one patient; the mark tells our ids from any
 * other. A single block under a fresh random tail is a pseudorandom permutation, so no mode or IV is needed.
 * An id that does not decode (an older UUID, or ids made under a replaced secret) is found through the index.
 */
const MARK = Buffer.from([0x53, 0x43, 0x52]);
const ID_PATTERN = /^[0-9a-f]{32}$/;

/**
 * One cipher and one decipher for the process: in ECB without padding each 16-byte `update` stands alone, so
 * they are reused rather than made (with a key object) on every read.
 */
let ciphers: Promise<{ encrypt: Cipheriv; decrypt: Decipheriv }> | undefined;

function recordIdCiphers() {
  ciphers ??= cursorSecret()
    .then((secret) => {
      const key = Buffer.from(hkdfSync('sha256', secret, 'shared-care-record', 'record-id', 16));
      return {
        encrypt: createCipheriv('aes-128-ecb', key, null).setAutoPadding(false),
        decrypt: createDecipheriv('aes-128-ecb', key, null).setAutoPadding(false),
      };
    })
    .catch((e) => {
      ciphers = undefined;
      throw e;
    });
  return ciphers;
}

/** A new id for a resource in the record of the patient with this NHS number. */
export async function newRecordId(nhsNumber: string): Promise<string> {
  const block = Buffer.alloc(16);
  block.writeUIntBE(Number(nhsNumber), 0, 5);
  MARK.copy(block, 5);
  randomBytes(8).copy(block, 8);
  return (await recordIdCiphers()).encrypt.update(block).toString('hex');
}

/** The NHS number whose record holds the resource with this id, when the id says; otherwise undefined. */
export async function patientOfRecordId(id: string): Promise<string | undefined> {
  if (!ID_PATTERN.test(id)) return undefined;
  const block = (await recordIdCiphers()).decrypt.update(Buffer.from(id, 'hex'));
  if (!block.subarray(5, 8).equals(MARK)) return undefined;
  return String(block.readUIntBE(0, 5)).padStart(10, '0');
}
