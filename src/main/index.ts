import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, safeStorage, session, shell } from 'electron';
import type { MenuCommand } from '../shared/api';
import { fileNatsProfileStore } from '../runtime/connections/file-store';
import { StudioService } from '../runtime/studio';
import { registerAppScheme, serveRendererFrom } from './app-protocol';
import { electronShell } from './electron-shell';
import { forwardEvents, registerIpcTransport } from './ipc';
import { SafeStorageKeyVault } from './key-vault';
import { menuTemplate } from './menu';
import { ensureSampleProject } from './sample-project';
import { safeStorageCipher } from './secret-cipher';
import { APP_ORIGIN, denyAllPermissions, hardenWebContents, isExternalWebUrl, secureWindowOptions } from './security';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '../renderer');
const preloadPath = path.join(here, '../preload/index.cjs');
const bundledSample = app.isPackaged
  ? path.join(process.resourcesPath, 'sample-project')
  : path.join(app.getAppPath(), 'resources', 'sample-project');

registerAppScheme();
app.enableSandbox();

app.on('web-contents-created', (_event, contents) => {
  hardenWebContents(contents);
  // A link the user clicks to an http(s) page opens in the system browser, nothing else leaves the app.
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

function projectFolderFromArgs(): string | null {
  const args = process.argv.slice(app.isPackaged ? 1 : 2).filter((arg) => !arg.startsWith('-'));
  return args[0] ? path.resolve(args[0]) : null;
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(secureWindowOptions(preloadPath));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  denyAllPermissions(session.defaultSession);
  serveRendererFrom(rendererDir);

  const projectFolder = projectFolderFromArgs() ?? (await ensureSampleProject(bundledSample, app.getPath('userData')));
  const cipher = safeStorageCipher(safeStorage);
  const studio = new StudioService({
    projectFolder,
    configDir: app.getPath('userData'),
    templateFolder: bundledSample,
    natsProfiles: fileNatsProfileStore(app.getPath('userData'), cipher ?? undefined),
    keyVault: (dir) => new SafeStorageKeyVault(dir, safeStorage),
    shell: electronShell(),
    ...(cipher ? { secretCipher: cipher } : {}),
  });
  await studio.applySavedSettings();
  registerIpcTransport(ipcMain, studio.handlers);
  // Broken telemetry settings must not keep the studio from starting: the settings panel shows the error.
  await studio.startTelemetry().catch((error: unknown) => console.error(`telemetry: ${error instanceof Error ? error.message : String(error)}`));
  const send = (command: MenuCommand) => studio.events.emit('menuCommand', { command });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ platform: process.platform, appName: app.name, dev: !app.isPackaged, send })));
  forwardEvents(studio.events, () => BrowserWindow.getAllWindows().map((window) => window.webContents));

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

void start();
