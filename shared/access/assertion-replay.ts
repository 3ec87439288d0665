import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../aws/clients.ts';
import { assertionKey, tableDesign } from '../service/table-design.ts';
import { OAuthError } from './oauth-error.ts';

/**
 * Records a client assertion's `jti` as used, refusing one seen before. A conditional put makes the check and
 * the record one atomic step; the item expires (TTL) when the assertion would have anyway.
 */
export async function spendAssertionId(clientId: string, jti: string, exp: number): Promise<void> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...assertionKey(clientId, jti), [tableDesign.timeToLiveAttribute]: exp },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) {
      throw new OAuthError(400, 'invalid_grant', 'This assertion jti has been used already');
    }
    throw e;
  }
}
