/**
 * The export pipeline: save the flows being edited, set the version in pack.yaml, build (and sign)
 * with progress, then verify the file that was written. A failed build puts the old version back.
 */
import type { PackBuildResult, PackVerification, ProgressEvent } from '../../../../shared/api';
import { textDirty } from '../../document/flow-document';
import { studio } from '../../api/studio';
import { useEditor } from '../../store/editor-store';

export interface ExportRequest {
  project: string;
  previousVersion: string;
  version: string;
  out: string;
  signingKeyId: string | null;
  passphrase: string;
}

export type ExportPhase = 'saving' | 'versioning' | 'building' | 'verifying';

export interface ExportOutcome {
  built: PackBuildResult;
  verification: PackVerification;
}

export async function runExport(request: ExportRequest, onPhase: (phase: ExportPhase) => void, onProgress: (event: ProgressEvent) => void): Promise<ExportOutcome> {
  onPhase('saving');
  await saveEditedFlows();
  let bumped = false;
  try {
    if (request.version !== request.previousVersion) {
      onPhase('versioning');
      await studio.setPackVersion({ project: request.project, version: request.version });
      bumped = true;
    }
    onPhase('building');
    const stop = studio.on('progress', (event) => {
      if (event.task === 'pack.build') onProgress(event);
    });
    let built: PackBuildResult;
    try {
      built = await studio.buildPack({
        out: request.out,
        project: request.project,
        ...(request.signingKeyId ? { signingKeyId: request.signingKeyId } : {}),
        ...(request.signingKeyId && request.passphrase ? { passphrase: request.passphrase } : {}),
      });
    } finally {
      stop();
    }
    onPhase('verifying');
    return { built, verification: await studio.verifyPack({ path: built.path }) };
  } catch (error) {
    if (bumped) await studio.setPackVersion({ project: request.project, version: request.previousVersion }).catch(() => undefined);
    throw error;
  }
}

/** The pack is built from the files on disk: edits still in the editor are saved first. */
async function saveEditedFlows(): Promise<void> {
  const editor = useEditor.getState();
  const edited = Object.values(editor.docs).filter(textDirty);
  for (const doc of edited) await editor.save(doc.path);
  const unsaved = Object.values(useEditor.getState().docs).filter(textDirty);
  if (unsaved.length > 0) throw new Error(`${unsaved.map((doc) => doc.path).join(', ')} could not be saved, so the pack would miss your latest edits`);
}
