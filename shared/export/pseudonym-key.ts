import { serviceSecret } from '../aws/service-secret.ts';

/**
 * The key export pseudonyms are made with: `PSEUDONYM_KEY` (base64url) in the sandbox, else the Secrets Manager
 * secret the stack names (`PSEUDONYM_KEY_ARN`, its string base64url too). The same key for every export, so a
 * patient's pseudonym is stable and analysts can link exports.
 */
export async function pseudonymKey(): Promise<Buffer> {
  const secret = await serviceSecret({ local: 'PSEUDONYM_KEY', arn: 'PSEUDONYM_KEY_ARN' });
  const key = Buffer.from(secret.trim(), 'base64url');
  // Fewer than 256 bits would make the HMAC the weakest link in the pseudonymisation.
  if (key.length < 32) throw new Error('The pseudonym key is shorter than 32 bytes');
  return key;
}
