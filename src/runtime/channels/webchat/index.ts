export { createDirectLine, DIRECTLINE_PREFIX, type DirectLineOptions, type DirectLineServer } from './directline';
export { TokenService, DEFAULT_TOKEN_TTL_SECONDS } from './tokens';
export { CorsPolicy, normaliseOrigin } from './cors';
