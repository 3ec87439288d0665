/** Keep a secret for the life of a warm function; it only changes when rotated, which takes a cold start. */
const MAX_AGE_SECONDS = 3600;

/**
 * A key the stack generates in Secrets Manager: the sandbox's environment variable `local` when set, else the
 * secret whose ARN the variable `arn` names, fetched with Powertools parameters and cached.
 *
 * @example await serviceSecret({ local: 'CURSOR_SECRET', arn: 'CURSOR_SECRET_ARN' })
 */
export async function serviceSecret(names: { local: string; arn: string }): Promise<string> {
  const local = process.env[names.local];
  if (local) return local;
  const arn = process.env[names.arn];
  if (!arn) throw new Error(`Neither ${names.local} nor ${names.arn} is set`);
  // Loaded on first use, so a cold start that needs no secret never imports the Secrets Manager SDK.
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  const secret = await getSecret(arn, { maxAge: MAX_AGE_SECONDS });
  if (typeof secret !== 'string' || !secret) throw new Error(`The secret ${names.arn} names is empty`);
  return secret;
}
