import { promises as fs } from 'node:fs';
import { StudioError } from '../../shared/api';
import { parseCredentials, publicKeyOfSeed } from './nats-credentials';
import type { NatsAuth, ResolvedNatsProfile } from './nats-profile';

/** The connection flags of `greentic-studio serve --nats URL ...`. */
export interface NatsFlags {
  nats: string;
  natsUser?: string;
  natsPass?: string;
  natsToken?: string;
  natsCreds?: string;
  natsNkey?: string;
  natsTlsCa?: string;
  natsTlsCert?: string;
  natsTlsKey?: string;
}

const MAX_FILE_BYTES = 64 * 1024;

/** A one-off profile from command-line flags: at most one auth mode, secrets read from the files named. */
export async function profileFromFlags(flags: NatsFlags): Promise<ResolvedNatsProfile> {
  const modes = [
    flags.natsUser !== undefined || flags.natsPass !== undefined ? '--nats-user/--nats-pass' : null,
    flags.natsToken !== undefined ? '--nats-token' : null,
    flags.natsCreds !== undefined ? '--nats-creds' : null,
    flags.natsNkey !== undefined ? '--nats-nkey' : null,
  ].filter((mode): mode is string => mode !== null);
  if (modes.length > 1) throw new StudioError('bad_request', `choose one NATS auth mode, not ${modes.join(' and ')}`);
  if ((flags.natsUser === undefined) !== (flags.natsPass === undefined)) {
    throw new StudioError('bad_request', '--nats-user and --nats-pass go together');
  }
  if ((flags.natsTlsCert === undefined) !== (flags.natsTlsKey === undefined)) {
    throw new StudioError('bad_request', '--nats-tls-cert and --nats-tls-key go together');
  }

  let auth: NatsAuth = { mode: 'none' };
  if (flags.natsUser !== undefined && flags.natsPass !== undefined) auth = { mode: 'userpass', user: flags.natsUser, password: flags.natsPass };
  else if (flags.natsToken !== undefined) auth = { mode: 'token', token: flags.natsToken };
  else if (flags.natsCreds !== undefined) {
    const creds = await readSmallFile(flags.natsCreds, '--nats-creds');
    parseCredentials(creds);
    auth = { mode: 'creds', creds };
  } else if (flags.natsNkey !== undefined) {
    const seed = (await readSmallFile(flags.natsNkey, '--nats-nkey')).trim();
    publicKeyOfSeed(seed);
    auth = { mode: 'nkey', seed };
  }

  const wantsTls = flags.natsTlsCa !== undefined || flags.natsTlsCert !== undefined;
  const tls = wantsTls
    ? {
        ...(flags.natsTlsCa ? { ca: await readSmallFile(flags.natsTlsCa, '--nats-tls-ca') } : {}),
        ...(flags.natsTlsCert ? { cert: await readSmallFile(flags.natsTlsCert, '--nats-tls-cert') } : {}),
        ...(flags.natsTlsKey ? { key: await readSmallFile(flags.natsTlsKey, '--nats-tls-key') } : {}),
      }
    : null;
  const servers = flags.nats.split(',').map((server) => server.trim()).filter(Boolean);
  if (servers.length === 0) throw new StudioError('bad_request', '--nats needs a server URL, e.g. nats://127.0.0.1:4222');
  return { name: 'command line', servers, auth, tls };
}

async function readSmallFile(file: string, flag: string): Promise<string> {
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_FILE_BYTES) throw new StudioError('bad_request', `${flag} ${file} is larger than 64 KiB`);
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof StudioError) throw error;
    throw new StudioError('io_error', `${flag}: cannot read ${file}: ${(error as Error).message}`);
  }
}
