/**
 * Direct Line tokens (channels.md §2.2): HS256 JWTs with issuer `greentic.webchat`, audience
 * `directline`, the user as `sub`, the tenant context as `ctx` and, once bound, the conversation as
 * `conv`. The signing key lives in memory for the lifetime of the server.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';

export const TOKEN_ISSUER = 'greentic.webchat';
export const TOKEN_AUDIENCE = 'directline';
/** The current provider's lifetime: 24 hours. */
export const DEFAULT_TOKEN_TTL_SECONDS = 86_400;
const CLOCK_TOLERANCE_SECONDS = 30;

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
  private readonly key: Uint8Array;

  constructor(
    readonly ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS,
    key: Uint8Array = randomBytes(32),
  ) {
    this.key = key;
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
      .sign(this.key);
    return { token, expires_in: this.ttlSeconds };
  }

  async verify(token: string): Promise<TokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: ['HS256'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      const ctx = payload.ctx as Partial<TokenContext> | undefined;
      if (typeof payload.sub !== 'string' || !ctx || typeof ctx.env !== 'string' || typeof ctx.tenant !== 'string') {
        throw new TokenError('invalid token: missing claims');
      }
      return {
        sub: payload.sub,
        ctx: { env: ctx.env, tenant: ctx.tenant, ...(typeof ctx.team === 'string' ? { team: ctx.team } : {}) },
        ...(typeof payload.conv === 'string' ? { conv: payload.conv } : {}),
        verified: payload.verified === true,
      };
    } catch (error) {
      if (error instanceof TokenError) throw error;
      const reason = error instanceof errors.JOSEError ? error.code : 'malformed';
      throw new TokenError(`invalid token: ${reason}`);
    }
  }
}
