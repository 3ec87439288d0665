import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PurposeOfUse } from '../audit/audit-event.ts';
import { documentClient, tableName } from '../aws/clients.ts';
import { tableDesign, viewerSessionKey } from '../service/table-design.ts';
import { secretHash } from './launch-code.ts';
import type { ViewerGrant } from './viewer-grant.ts';

/** A session ends after this long without a page (the 15-minute idle timeout). */
export const IDLE_TIMEOUT_MS = 15 * 60 * 1000;

/** A viewer session: the grant it was opened with, and the token its forms carry against CSRF. */
export interface ViewerSession extends ViewerGrant {
  csrfToken: string;
}

/** Opens a session for a redeemed launch; the returned id goes in the cookie and nowhere else. */
export async function openSession(
  grant: ViewerGrant,
  now = Date.now(),
): Promise<{ id: string; session: ViewerSession }> {
  const id = randomBytes(32).toString('base64url');
  const session: ViewerSession = { ...grant, csrfToken: randomBytes(32).toString('base64url') };
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...viewerSessionKey(secretHash(id)),
        session: JSON.stringify(session),
        lastSeen: now,
        [tableDesign.timeToLiveAttribute]: expiry(now),
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
  return { id, session };
}

/**
 * Resumes a session for a request: one conditional update that both checks it has not been idle for the
 * timeout and marks it used now. Undefined when there is no such session or it has timed out.
 */
export async function resumeSession(
  id: string | undefined,
  now = Date.now(),
): Promise<ViewerSession | undefined> {
  if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  try {
    const { Attributes } = await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: viewerSessionKey(secretHash(id)),
        UpdateExpression: 'SET lastSeen = :now, #ttl = :ttl',
        ConditionExpression: 'attribute_exists(PK) AND lastSeen > :idleSince',
        ExpressionAttributeNames: { '#ttl': tableDesign.timeToLiveAttribute },
        ExpressionAttributeValues: { ':now': now, ':ttl': expiry(now), ':idleSince': now - IDLE_TIMEOUT_MS },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return JSON.parse(Attributes?.session as string) as ViewerSession;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return undefined;
    throw e;
  }
}

/** Turns a session into emergency access (break-glass) with the person's reason, for the rest of its life. */
export async function breakGlassSession(
  id: string,
  session: ViewerSession,
  reason: string,
): Promise<ViewerSession> {
  const purpose: PurposeOfUse = { code: 'ETREAT', breakGlassReason: reason };
  const next: ViewerSession = { ...session, purpose };
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: viewerSessionKey(secretHash(id)),
      UpdateExpression: 'SET #session = :session',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#session': 'session' },
      ExpressionAttributeValues: { ':session': JSON.stringify(next) },
    }),
  );
  return next;
}

const expiry = (now: number) => Math.ceil((now + IDLE_TIMEOUT_MS) / 1000);
