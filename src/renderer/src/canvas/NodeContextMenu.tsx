import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { acceptsPinnedOutput } from '../../../shared/flow/native-ops';
import { runCommand, type CommandName } from '../commands/registry';
import { useBreakpoint, useBreakpoints } from '../debug/breakpoint-store';
import { useDebug } from '../debug/debug-store';
import { useChat } from '../store/chat-store';
import { useEditor } from '../store/editor-store';
import { useIsPinned, usePins } from '../store/pin-store';
import { PinOutputDialog } from './PinOutputDialog';
import { RunNodeDialog } from '../run-node/RunNodeDialog';
import { lastNodeEvent } from './trace-lookup';
import './node-menu.css';

export interface NodeMenuRequest {
  nodeId: string;
  /** Where the menu opens, in viewport pixels. */
  at: { x: number; y: number };
}

interface NodeContextMenuProps extends NodeMenuRequest {
  /** The id of the flow on the canvas: trace events name flows by id. */
  flowId: string | null;
  /** The node's op key: steps the engine always runs itself take no pinned output. */
  opKey: string;
  onClose: () => void;
}

/** `checked`: an on/off item (a menu checkbox). */
type Item = { label: string; run: () => void; disabled?: boolean; title?: string; checked?: boolean } | 'separator';

/**
 * The node's context menu on the canvas: run it on its own, its pinned output (pin, edit, clear) and the editor's node
 * commands. Arrow keys move between items, Escape or a click elsewhere closes it, and focus goes back
 * to the node.
 */
export function NodeContextMenu({ nodeId, at, flowId, opKey, onClose }: NodeContextMenuProps) {
  const pinned = useIsPinned(nodeId);
  const breakpoint = useBreakpoint(nodeId);
  const flowPath = useBreakpoints((state) => state.flowPath);
  const single = useEditor((state) => state.selection.length === 1);
  const [editing, setEditing] = useState<PinEditStart | null>(null);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const menu = useRef<HTMLDivElement>(null);

  const close = () => {
    onClose();
    focusNode(nodeId);
  };
  const command = (name: CommandName) => () => {
    close();
    runCommand(name);
  };
  const items: Item[] = [
    { label: 'Run this node…', run: () => setRunning(true) },
    'separator',
    {
      label: pinned ? 'Edit pinned output…' : 'Pin output…',
      run: () => setEditing(pinEditStart(nodeId, flowId)),
      // A stale pin on such a step can still be edited or cleared; the engine ignores it.
      disabled: !pinned && !acceptsPinnedOutput(opKey),
      ...(acceptsPinnedOutput(opKey) ? {} : { title: `The runner always runs ${opKey} itself; a pinned output would not be used` }),
    },
    {
      label: 'Clear pinned output',
      disabled: !pinned,
      run: () => {
        usePins
          .getState()
          .clear(nodeId)
          .then(close, (error: unknown) => setFailure(error instanceof Error ? error.message : String(error)));
      },
    },
    'separator',
    {
      label: 'Toggle breakpoint',
      checked: breakpoint !== undefined,
      title: 'F9: the studio conversation stops before this node runs',
      run: () => {
        close();
        void useBreakpoints.getState().toggle([nodeId]);
      },
    },
    {
      label: 'Run to here',
      title: 'The paused turn (else the next one) runs on and stops before this node',
      run: () => {
        close();
        void useDebug.getState().runToHere(nodeId, flowPath ?? undefined);
      },
    },
    'separator',
    { label: 'Rename…', run: command('renameNode'), disabled: !single },
    { label: 'Duplicate', run: command('duplicate') },
    { label: 'Delete', run: command('deleteSelection') },
  ];

  useEffect(() => {
    if (!editing && !running) menu.current?.querySelector<HTMLElement>('[role^="menuitem"]:not([disabled])')?.focus();
  }, [editing, running]);

  if (editing) return <PinOutputDialog nodeId={nodeId} initial={editing} onClose={close} />;
  if (running) return <RunNodeDialog nodeId={nodeId} flowId={flowId} onClose={close} />;

  function onKeyDown(event: KeyboardEvent) {
    const entries = [...(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([disabled])') ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLElement);
    const move = (index: number) => entries[(index + entries.length) % entries.length]?.focus();
    if (event.key === 'Escape' || event.key === 'Tab') close();
    else if (event.key === 'ArrowDown') move(at + 1);
    else if (event.key === 'ArrowUp') move(at < 0 ? -1 : at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(-1);
    else return;
    event.preventDefault();
    event.stopPropagation();
  }

  return (
    <div
      className="context-menu-layer"
      role="presentation"
      onMouseDown={(event) => event.target === event.currentTarget && close()}
      onContextMenu={(event) => {
        event.preventDefault();
        if (event.target === event.currentTarget) close();
      }}
    >
      <div
        ref={menu}
        className="context-menu"
        role="menu"
        aria-label={`Node ${nodeId}`}
        style={{ left: Math.min(at.x, window.innerWidth - 240), top: Math.min(at.y, window.innerHeight - 300) }}
        onKeyDown={onKeyDown}
      >
        {items.map((item, index) =>
          item === 'separator' ? (
            <div key={`separator-${index}`} role="separator" className="context-menu-separator" />
          ) : (
            <button
              key={item.label}
              type="button"
              role={item.checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
              aria-checked={item.checked}
              disabled={item.disabled}
              title={item.title}
              tabIndex={-1}
              onClick={item.run}
            >
              {item.label}
            </button>
          ),
        )}
        {failure && (
          <div className="field-problem" role="alert">
            {failure}
          </div>
        )}
      </div>
    </div>
  );
}

interface PinEditStart {
  value: unknown;
  source: 'pin' | 'trace' | 'empty';
}

/** The current pin, else the node's last output in this conversation's trace, else an empty object. */
function pinEditStart(nodeId: string, flowId: string | null): PinEditStart {
  const { pins } = usePins.getState();
  if (Object.prototype.hasOwnProperty.call(pins, nodeId)) return { value: pins[nodeId], source: 'pin' };
  const last = lastNodeEvent(useChat.getState().trace, 'node_end', flowId, nodeId);
  return last === undefined ? { value: {}, source: 'empty' } : { value: last.output, source: 'trace' };
}

function nodeElement(nodeId: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(nodeId)}"]`);
}

/** Back to the node on the canvas, so the keyboard user carries on where they were. */
function focusNode(nodeId: string): void {
  nodeElement(nodeId)?.focus();
}

/** Just below a node's top-left corner on screen: where a menu opened from the keyboard appears. */
export function nodeMenuAnchor(nodeId: string): { x: number; y: number } | null {
  const box = nodeElement(nodeId)?.getBoundingClientRect();
  return box ? { x: box.left + 12, y: box.top + 28 } : null;
}

/** Selects the node the menu is for, unless it already belongs to the selection (which the commands then act on). */
export function selectForMenu(nodeId: string): void {
  const { selection, select } = useEditor.getState();
  if (!selection.includes(nodeId)) select([nodeId]);
}
