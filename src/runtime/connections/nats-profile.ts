/** A NATS connection profile with its secrets: back-end only, never sent to the renderer. */

export type NatsAuth =
  | { mode: 'none' }
  | { mode: 'userpass'; user: string; password: string }
  | { mode: 'token'; token: string }
  /** An NKEY user seed (`SU...`). */
  | { mode: 'nkey'; seed: string }
  /** The text of a `.creds` file: the user JWT and its NKEY seed. */
  | { mode: 'creds'; creds: string };

/** PEM texts. `ca` alone verifies the server; `cert` + `key` also authenticate the client. */
export interface NatsTls {
  ca?: string;
  cert?: string;
  key?: string;
}

export interface ResolvedNatsProfile {
  name: string;
  servers: string[];
  auth: NatsAuth;
  /** null: plain connection unless a server URL says `tls://`. */
  tls: NatsTls | null;
}
