/**
 * Direct Line tokens (channels.md §2.2): HS256 JWTs with issuer `greentic.webchat`, audience
 * `directline`, the user as `sub`, the tenant context as `ctx` and, once bound, the conversation as
 * `conv`. The signing key lives in memory for the lifetime of the server.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';

export const TOKEN_ISSUER = 'greentic.webchat';
export const TOKEN_AUDIENCE = 'directline';
/** The current provider's lifetime: 24 hours. */
export const DEFAULT_TOKEN_TTL_SECONDS = 86_400;
const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_REMEMBERED_TOKENS = 10_000;

export interface TokenContext {
  env: string;
  tenant: string;
  team?: string;
}

export interface TokenClaims {
  sub: string;
  ctx: TokenContext;
  conv?: string;
  verified: boolean;
}

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

export class TokenService {
  /**
   * A WebCrypto key made once: jose signs and verifies with WebCrypto, and would otherwise import a
   * raw or KeyObject key again for every token, which costs more than the HMAC itself.
   */
  private readonly key: Promise<webcrypto.CryptoKey>;
  private readonly verified = new Map<string, { claims: TokenClaims; expiresAt: number }>();

  constructor(
    readonly ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS,
    key: Uint8Array = randomBytes(32),
  ) {
    this.key = webcrypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  async issue(claims: TokenClaims): Promise<{ token: string; expires_in: number }> {
    const token = await new SignJWT({ ctx: { ...claims.ctx }, verified: claims.verified, ...(claims.conv ? { conv: claims.conv } : {}) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(claims.sub)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(await this.key);
    return { token, expires_in: this.ttlSeconds };
  }

  /**
   * Claims of a valid token. Verified tokens are remembered until they expire: clients send the
   * same token with every request, and the signature check runs on the crypto thread pool.
   */
  async verify(token: string): Promise<TokenClaims> {
    const known = this.verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.claims;
    const { claims, expiresAt } = await this.check(token);
    if (this.verified.size >= MAX_REMEMBERED_TOKENS) this.verified.clear();
    this.verified.set(token, { claims, expiresAt });
    return claims;
  }

  private async check(token: string): Promise<{ claims: TokenClaims; expiresAt: number }> {
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: ['HS256'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      const ctx = payload.ctx as Partial<TokenContext> | undefined;
      if (typeof payload.sub !== 'string' || !ctx || typeof ctx.env !== 'string' || typeof ctx.tenant !== 'string') {
        throw new TokenError('invalid token: missing claims');
      }
      const claims: TokenClaims = {
        sub: payload.sub,
        ctx: { env: ctx.env, tenant: ctx.tenant, ...(typeof ctx.team === 'string' ? { team: ctx.team } : {}) },
        ...(typeof payload.conv === 'string' ? { conv: payload.conv } : {}),
        verified: payload.verified === true,
      };
      return { claims, expiresAt: (payload.exp ?? 0) * 1000 };
    } catch (error) {
      if (error instanceof TokenError) throw error;
      const reason = error instanceof errors.JOSEError ? error.code : 'malformed';
      throw new TokenError(`invalid token: ${reason}`);
    }
  }
}
