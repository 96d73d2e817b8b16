/**
 * A dropped pack reaches the back end as a path when the desktop shell can name the file, and
 * otherwise (web mode: the browser holds only the bytes) as bytes uploaded in bounded chunks.
 */
import { StudioError } from '../../../shared/api';
import { PACK_UPLOAD_CHUNK_BYTES, PACK_UPLOAD_MAX_BYTES } from '../../../shared/api/pack';
import { studio } from '../api/studio';

/** The file's path on disk, when the desktop shell can tell it. */
export function pathOfDroppedFile(file: File): string | null {
  try {
    return window.greenticStudio?.pathForFile?.(file) || null;
  } catch {
    return null;
  }
}

/** Uploads the file's bytes and resolves with the path of the copy the back end wrote. */
export async function uploadPackFile(file: File, onProgress: (received: number, total: number) => void): Promise<string> {
  if (file.size === 0) throw new StudioError('bad_request', `${file.name} is empty`);
  if (file.size > PACK_UPLOAD_MAX_BYTES) {
    throw new StudioError('bad_request', `${file.name} is ${file.size} bytes; packs of at most ${PACK_UPLOAD_MAX_BYTES / (1024 * 1024)} MiB can be opened`);
  }
  let upload: string | undefined;
  for (let offset = 0; offset < file.size; offset += PACK_UPLOAD_CHUNK_BYTES) {
    const data = await base64Of(file.slice(offset, offset + PACK_UPLOAD_CHUNK_BYTES));
    const step = await studio.uploadPack({ ...(upload ? { upload } : {}), name: file.name, total: file.size, offset, data });
    upload = step.upload;
    onProgress(step.received, file.size);
    if (step.path) return step.path;
  }
  throw new StudioError('internal', `the upload of ${file.name} ended before the back end had every byte`);
}

/** Base64 of a blob through the browser's own encoder (a data: URL), without building strings by hand. */
function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(new StudioError('io_error', `could not read the dropped file: ${reader.error?.message ?? 'unknown error'}`));
    reader.readAsDataURL(blob);
  });
}
