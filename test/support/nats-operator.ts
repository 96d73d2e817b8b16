import { createAccount, createOperator, createUser, encodeAccount, encodeOperator, encodeUser, fmtCreds } from '@nats-io/jwt';
import type { ServerAuth } from './nats-server';

export interface OperatorSetup {
  server: Extract<ServerAuth, { mode: 'operator' }>;
  /** A `.creds` file of a user of the trusted account. */
  creds: string;
  userPublicKey: string;
  /** Credentials signed by an account the server does not know. */
  foreignCreds: string;
}

// jwt.js leaves limits at 0 (nothing allowed) unless told otherwise; -1 is "no limit".
const UNLIMITED_ACCOUNT = { conn: -1, leaf: -1, subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true };
const UNLIMITED_USER = { subs: -1, data: -1, payload: -1 };

/** An operator, an account and users, as `nsc` would make them, for decentralised-auth tests. */
export async function createOperatorSetup(): Promise<OperatorSetup> {
  const operator = createOperator();
  const account = createAccount();
  const user = createUser();
  const operatorJwt = await encodeOperator('test-operator', operator);
  const accountJwt = await encodeAccount('test-account', account, { limits: UNLIMITED_ACCOUNT }, { signer: operator });
  const userJwt = await encodeUser('test-user', user, account, UNLIMITED_USER);

  const foreignAccount = createAccount();
  const foreignUser = createUser();
  const foreignJwt = await encodeUser('stranger', foreignUser, foreignAccount, UNLIMITED_USER);

  return {
    server: { mode: 'operator', operatorJwt, accountPublicKey: account.getPublicKey(), accountJwt },
    creds: new TextDecoder().decode(fmtCreds(userJwt, user)),
    userPublicKey: user.getPublicKey(),
    foreignCreds: new TextDecoder().decode(fmtCreds(foreignJwt, foreignUser)),
  };
}
