import { createHash, randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../aws/clients.ts';
import { tableDesign, viewerLaunchKey } from '../service/table-design.ts';
import type { ViewerGrant } from './viewer-grant.ts';

/** How long a launch URL stays good (CONTRACT §7: at most 60 seconds). */
export const LAUNCH_CODE_SECONDS = 60;

/** The table names a secret by its hash: a leaked item is no use in a browser. */
export const secretHash = (secret: string) => createHash('sha256').update(secret).digest('base64url');

/**
 * Issues a single-use launch code for a grant, as an OAuth 2.0 authorization code is: 256 random bits, kept
 * (hashed) for 60 seconds.
 */
export async function issueLaunchCode(grant: ViewerGrant, now = Date.now()): Promise<string> {
  const code = randomBytes(32).toString('base64url');
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...viewerLaunchKey(secretHash(code)),
        grant: JSON.stringify(grant),
        validUntil: now + LAUNCH_CODE_SECONDS * 1000,
        [tableDesign.timeToLiveAttribute]: Math.ceil(now / 1000) + LAUNCH_CODE_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
  return code;
}

/**
 * Spends a launch code: one conditional delete, so of two browsers racing with the same code exactly one gets
 * the grant. Unknown, used and expired codes all give undefined (TTL removal lags, so expiry is checked here).
 */
export async function redeemLaunchCode(code: string, now = Date.now()): Promise<ViewerGrant | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(code)) return undefined;
  try {
    const { Attributes } = await documentClient.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: viewerLaunchKey(secretHash(code)),
        ConditionExpression: 'attribute_exists(PK) AND validUntil > :now',
        ExpressionAttributeValues: { ':now': now },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes ? (JSON.parse(Attributes.grant as string) as ViewerGrant) : undefined;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return undefined;
    throw e;
  }
}
