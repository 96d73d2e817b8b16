import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StudioError } from '../../../shared/api';
import { PACK_UPLOAD_CHUNK_BYTES, PACK_UPLOAD_MAX_BYTES, type PackUpload } from '../../../shared/api/pack';

/** Uploads still arriving; a new one beyond this drops the oldest unfinished one. */
const MAX_PENDING = 4;
/** Finished uploads kept on disk; older ones are deleted as new ones finish. */
const MAX_FINISHED = 8;

interface Pending {
  file: string;
  total: number;
  received: number;
  /** A chunk is being written; chunks arrive one after the other. */
  writing: boolean;
}

/**
 * Packs that reach the back end as bytes (a file dropped into the browser in web mode), written in
 * order into a temporary folder the back end owns, each bounded by the reader's 64 MiB limit. The
 * finished file is then opened like any other pack.
 */
export class PackUploads {
  private dir: Promise<string> | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly finished: string[] = [];

  constructor(
    private readonly parent: string = tmpdir(),
    private readonly maxBytes: number = PACK_UPLOAD_MAX_BYTES,
  ) {}

  async receive(request: { upload?: string | undefined; name: string; total: number; offset: number; data: string }): Promise<PackUpload> {
    if (request.total > this.maxBytes) {
      throw new StudioError('bad_request', `${request.name} is ${request.total} bytes; packs of at most ${this.maxBytes} bytes can be opened`);
    }
    const chunk = Buffer.from(request.data, 'base64');
    if (chunk.length > PACK_UPLOAD_CHUNK_BYTES) throw new StudioError('bad_request', `a chunk holds at most ${PACK_UPLOAD_CHUNK_BYTES} bytes`);
    const id = request.upload ?? (await this.start(request.name, request.total));
    const upload = this.pending.get(id);
    if (!upload) throw new StudioError('not_found', 'this upload is unknown or was dropped; start it again');
    if (upload.total !== request.total) throw new StudioError('bad_request', 'the total size changed during the upload');
    if (upload.writing || request.offset !== upload.received) {
      throw new StudioError('conflict', `expected the bytes from offset ${upload.received}, got offset ${request.offset}`);
    }
    if (upload.received + chunk.length > upload.total) {
      await this.drop(id);
      throw new StudioError('bad_request', `more bytes arrived than the announced ${upload.total}`);
    }
    upload.writing = true;
    try {
      await fs.appendFile(upload.file, chunk);
    } catch (error) {
      await this.drop(id);
      throw error;
    } finally {
      upload.writing = false;
    }
    upload.received += chunk.length;
    if (upload.received < upload.total) return { upload: id, received: upload.received, path: null };
    this.pending.delete(id);
    this.finished.push(upload.file);
    while (this.finished.length > MAX_FINISHED) await removeUpload(this.finished.shift() as string);
    return { upload: id, received: upload.received, path: upload.file };
  }

  private async start(name: string, total: number): Promise<string> {
    if (this.pending.size >= MAX_PENDING) await this.drop(this.pending.keys().next().value as string);
    const id = randomBytes(16).toString('hex');
    const folder = path.join(await this.folder(), id);
    await fs.mkdir(folder, { mode: 0o700 });
    const file = path.join(folder, safeFileName(name));
    await fs.writeFile(file, new Uint8Array(), { flag: 'wx', mode: 0o600 });
    this.pending.set(id, { file, total, received: 0, writing: false });
    return id;
  }

  private async drop(id: string): Promise<void> {
    const upload = this.pending.get(id);
    this.pending.delete(id);
    if (upload) await removeUpload(upload.file);
  }

  private folder(): Promise<string> {
    this.dir ??= fs.mkdtemp(path.join(this.parent, 'greentic-studio-packs-'));
    return this.dir;
  }
}

async function removeUpload(file: string): Promise<void> {
  await fs.rm(path.dirname(file), { recursive: true, force: true });
}

/** The dropped file's own name (so the inspector shows it), reduced to characters safe on every OS. */
function safeFileName(name: string): string {
  const base = name.replace(/^.*[\\/]/, '').replace(/[^A-Za-z0-9._ -]/g, '_').replace(/^\.+/, '');
  return (base || 'pack').slice(0, 120);
}
