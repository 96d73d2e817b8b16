import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate } from '../../../src/main/menu';
import { MENU_COMMANDS, type MenuCommand } from '../../../src/shared/api';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((entry) => [entry, ...(Array.isArray(entry.submenu) ? items(entry.submenu) : [])]);
}

function build(platform: NodeJS.Platform, dev = false) {
  const sent: MenuCommand[] = [];
  const template = menuTemplate({ platform, appName: 'Greentic Studio', dev, send: (command) => sent.push(command) });
  return { template, sent, all: items(template) };
}

describe('application menu', () => {
  it('offers every menu command exactly once, each sending its own command', () => {
    const { all, sent } = build('linux');
    const clickable = all.filter((entry) => entry.click);
    for (const entry of clickable) (entry.click as () => void)();
    expect([...sent].sort()).toEqual([...MENU_COMMANDS].sort());
  });

  it('shows the window shortcuts without registering them, so keys are handled in one place', () => {
    const { all } = build('win32');
    const withKeys = all.filter((entry) => entry.click && entry.accelerator);
    expect(withKeys.map((entry) => entry.label)).toEqual(expect.arrayContaining(['Save', 'Undo', 'Redo', 'Find…', 'Export Pack…', 'Continue', 'Step Over', 'Toggle Breakpoint']));
    for (const entry of withKeys) expect(entry.registerAccelerator).toBe(false);
    const accelerators = withKeys.map((entry) => entry.accelerator);
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('follows each platform: an app menu on macOS, Quit under File elsewhere, developer tools only in development', () => {
    const mac = build('darwin');
    expect(mac.template[0]?.label).toBe('Greentic Studio');
    expect(mac.all.filter((entry) => entry.role === 'quit')).toHaveLength(1);
    const linux = build('linux');
    expect(linux.template.map((entry) => entry.label ?? entry.role)).toEqual(['File', 'Edit', 'View', 'Debug', 'windowMenu', 'help']);
    expect(linux.all.some((entry) => entry.role === 'toggleDevTools')).toBe(false);
    expect(build('linux', true).all.some((entry) => entry.role === 'toggleDevTools')).toBe(true);
  });
});
