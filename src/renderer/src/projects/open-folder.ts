/** "Open folder…" and "New project…": the OS folder dialog when there is one, else the typed path field. */
import { runCommand } from '../commands/registry';
import { useProject } from '../store/project-store';
import { useUi } from '../store/ui-store';
import { chooseFolder } from './folder-picker';
import { hostDialogs } from './host-dialogs';

export type FolderPromptKind = 'open' | 'newProject';

export const FOLDER_PROMPT_TITLES: Record<FolderPromptKind, string> = {
  open: 'Folder to open',
  newProject: 'Empty folder for the new project',
};

/** The project tree shows its path field for these when no dialog can. */
const TYPED_PROMPT_COMMAND = { open: 'promptOpenFolder', newProject: 'promptNewProject' } as const;

export async function askForProjectFolder(kind: FolderPromptKind): Promise<void> {
  // The project tree lives in the flow editor, which also shows the project that opens.
  useUi.getState().setWorkspace('flows');
  const choice = await chooseFolder(FOLDER_PROMPT_TITLES[kind], hostDialogs);
  if (choice.kind === 'typed') runCommand(TYPED_PROMPT_COMMAND[kind]);
  else if (choice.kind === 'picked') {
    const project = useProject.getState();
    await (kind === 'open' ? project.openFolder(choice.path) : project.newProject(choice.path));
  }
}
