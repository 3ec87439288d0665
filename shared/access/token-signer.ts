import type { KMSClient } from '@aws-sdk/client-kms';
import {
  base64url,
  calculateJwkThumbprint,
  exportJWK,
  importJWK,
  importSPKI,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';

/** Signs the service's access tokens and publishes the key that verifies them. */
export interface TokenSigner {
  sign(claims: JWTPayload): Promise<string>;
  publicJwks(): Promise<JSONWebKeySet>;
}

const ALG = 'RS256';

/**
 * Signs with an asymmetric KMS key: the private key never leaves KMS. jose cannot sign with a key it does not
 * hold, so the JWS signing input is assembled here and KMS signs its bytes (RSASSA-PKCS1-v1_5 with SHA-256).
 */
export class KmsTokenSigner implements TokenSigner {
  private jwks?: Promise<JSONWebKeySet>;
  // The KMS SDK loads on first use: the authorizer, which only verifies, never needs it after the public key.
  private sdk?: Promise<typeof import('@aws-sdk/client-kms') & { kms: KMSClient }>;

  private kms() {
    this.sdk ??= import('@aws-sdk/client-kms').then((sdk) => ({ ...sdk, kms: new sdk.KMSClient({}) }));
    return this.sdk;
  }

  constructor(private readonly keyId: string) {}

  async sign(claims: JWTPayload): Promise<string> {
    const { keys } = await this.publicJwks();
    const header = { alg: ALG, typ: 'JWT', kid: keys[0]?.kid };
    const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(claims))}`;
    const { kms, SignCommand } = await this.kms();
    const { Signature } = await kms.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: new TextEncoder().encode(input),
        MessageType: 'RAW',
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      }),
    );
    if (!Signature) throw new Error('KMS returned no signature');
    return `${input}.${base64url.encode(Signature)}`;
  }

  publicJwks(): Promise<JSONWebKeySet> {
    this.jwks ??= (async () => {
      const { kms, GetPublicKeyCommand } = await this.kms();
      const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: this.keyId }));
      if (!PublicKey) throw new Error('KMS returned no public key');
      const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(PublicKey).toString('base64')}\n-----END PUBLIC KEY-----`;
      const jwk = await exportJWK(await importSPKI(pem, ALG, { extractable: true }));
      return { keys: [{ ...jwk, kid: await calculateJwkThumbprint(jwk), alg: ALG, use: 'sig' }] };
    })();
    return this.jwks;
  }
}

/** Signs with a private JWK held in memory: the sandbox's key, written under `.sandbox/`. */
export class LocalTokenSigner implements TokenSigner {
  constructor(private readonly privateJwk: JWK) {}

  async sign(claims: JWTPayload): Promise<string> {
    const key = await importJWK(this.privateJwk, ALG);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, typ: 'JWT', kid: this.privateJwk.kid })
      .sign(key);
  }

  async publicJwks(): Promise<JSONWebKeySet> {
    const { kty, n, e, kid } = this.privateJwk;
    return { keys: [{ kty, n, e, kid, alg: ALG, use: 'sig' } as JWK] };
  }
}

let signer: TokenSigner | undefined;

/** The process's signer: KMS when the stack names a key (`TOKEN_SIGNING_KEY_ID`), else the sandbox's JWK. */
export function tokenSigner(): TokenSigner {
  if (signer) return signer;
  if (process.env.TOKEN_SIGNING_KEY_ID) signer = new KmsTokenSigner(process.env.TOKEN_SIGNING_KEY_ID);
  else if (process.env.TOKEN_SIGNING_JWK)
    signer = new LocalTokenSigner(JSON.parse(process.env.TOKEN_SIGNING_JWK));
  else throw new Error('Neither TOKEN_SIGNING_KEY_ID nor TOKEN_SIGNING_JWK is set');
  return signer;
}
