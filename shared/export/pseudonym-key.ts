const MAX_AGE_SECONDS = 3600;

/**
 * The key export pseudonyms are made with: `PSEUDONYM_KEY` (base64url) in the sandbox, else the Secrets Manager
 * secret the stack names (`PSEUDONYM_KEY_ARN`, its string base64url too), fetched with Powertools parameters and
 * cached. The same key for every export, so a patient's pseudonym is stable and analysts can link exports.
 */
export async function pseudonymKey(): Promise<Buffer> {
  const local = process.env.PSEUDONYM_KEY;
  const secret = local ?? (await fromSecretsManager());
  const key = Buffer.from(secret.trim(), 'base64url');
  // Fewer than 256 bits would make the HMAC the weakest link in the pseudonymisation.
  if (key.length < 32) throw new Error('The pseudonym key is shorter than 32 bytes');
  return key;
}

async function fromSecretsManager(): Promise<string> {
  const arn = process.env.PSEUDONYM_KEY_ARN;
  if (!arn) throw new Error('Neither PSEUDONYM_KEY nor PSEUDONYM_KEY_ARN is set');
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  const secret = await getSecret(arn, { maxAge: MAX_AGE_SECONDS });
  if (typeof secret !== 'string' || !secret) throw new Error('The pseudonym key secret is empty');
  return secret;
}
