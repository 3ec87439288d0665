import { createSign, generateKeyPairSync } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { KmsTokenSigner } from '#shared/access/token-signer';

/**
 * KMS cannot run here, so its two calls are answered by a stand-in that does what KMS does with an RSA key:
 * GetPublicKey returns the DER public key, Sign signs the message bytes with RSASSA-PKCS1-v1_5 SHA-256. What is
 * under test is ours: the JWS the signer assembles around KMS's signature, and the JWKS it publishes, must
 * verify with an ordinary JWT library.
 */
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kms = mockClient(KMSClient);

function standInKms() {
  kms.on(GetPublicKeyCommand).resolves({ PublicKey: publicKey.export({ type: 'spki', format: 'der' }) });
  kms
    .on(SignCommand)
    .callsFake((input: { Message: Uint8Array; MessageType: string; SigningAlgorithm: string }) => {
      expect(input.MessageType).toBe('RAW');
      expect(input.SigningAlgorithm).toBe('RSASSA_PKCS1_V1_5_SHA_256');
      const signer = createSign('RSA-SHA256');
      signer.update(input.Message);
      return { Signature: signer.sign(privateKey) };
    });
}

afterEach(() => kms.reset());

describe('KmsTokenSigner', () => {
  it('issues an RS256 JWT that verifies against the JWKS it publishes', async () => {
    standInKms();
    const signer = new KmsTokenSigner('alias/token-signing');
    const token = await signer.sign({
      sub: 'sandbox-gp',
      aud: 'shared-care-record',
      exp: Math.floor(Date.now() / 1000) + 60,
    });
    const jwks = await signer.publicJwks();
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: jwks.keys[0]?.kid });
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { audience: 'shared-care-record' });
    expect(payload.sub).toBe('sandbox-gp');
  });

  it('produces a token that fails verification once its payload is changed', async () => {
    standInKms();
    const signer = new KmsTokenSigner('alias/token-signing');
    const token = await signer.sign({ sub: 'sandbox-gp', exp: Math.floor(Date.now() / 1000) + 60 });
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'sandbox-acute' })).toString('base64url')}.${signature}`;
    await expect(jwtVerify(forged, createLocalJWKSet(await signer.publicJwks()))).rejects.toThrow();
  });
});
