/** Keep the secret for the life of a warm function; it only changes when rotated, which takes a cold start. */
const MAX_AGE_SECONDS = 3600;

/**
 * The key paging cursors are signed with: `CURSOR_SECRET` in the sandbox, else the Secrets Manager secret
 * the stack names (`CURSOR_SECRET_ARN`), fetched once with Powertools parameters and cached.
 */
export async function cursorSecret(): Promise<string> {
  if (process.env.CURSOR_SECRET) return process.env.CURSOR_SECRET;
  const arn = process.env.CURSOR_SECRET_ARN;
  if (!arn) throw new Error('Neither CURSOR_SECRET nor CURSOR_SECRET_ARN is set');
  // Loaded on first use, so a cold start that pages nothing never imports the Secrets Manager SDK.
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  const secret = await getSecret(arn, { maxAge: MAX_AGE_SECONDS });
  if (typeof secret !== 'string' || !secret) throw new Error('The cursor secret is empty');
  return secret;
}
