import { ACTIONS } from '../shell/actions';
import { useBreakpoints } from './breakpoint-store';
import { useDebug } from './debug-store';

const CONTROLS = [
  { label: 'Continue', keys: 'F5', run: ACTIONS.debugContinue, hint: 'run on to the next breakpoint or the end of the turn' },
  { label: 'Step over', keys: 'F10', run: ACTIONS.debugStepOver, hint: 'run this node, pause before the next one' },
  { label: 'Step into', keys: 'F11', run: ACTIONS.debugStepInto, hint: 'pause before the very next node, inside a called flow' },
  { label: 'Step out', keys: 'Shift+F11', run: ACTIONS.debugStepOut, hint: 'run to the end of the called flow' },
  { label: 'Stop', keys: 'Shift+F5', run: ACTIONS.debugStop, hint: 'end the turn here; the session stays as it was before it' },
] as const;

/** Continue, the steps and Stop (each with its shortcut), and the flow's "break on error". */
export function DebugToolbar() {
  const paused = useDebug((state) => state.paused !== null);
  const sending = useDebug((state) => state.sending);
  const breakOnError = useBreakpoints((state) => state.breakOnError);
  const loaded = useBreakpoints((state) => state.loaded);
  return (
    <div className="debug-toolbar" role="toolbar" aria-label="Debug controls">
      {CONTROLS.map((control) => (
        <button key={control.label} type="button" disabled={!paused || sending} onClick={control.run} title={`${control.label} (${control.keys}): ${control.hint}`} aria-keyshortcuts={control.keys}>
          {control.label}
        </button>
      ))}
      <label className="break-on-error" title="Pause at any node of this flow that fails, before its error route or the turn's failure">
        <input type="checkbox" checked={breakOnError} disabled={!loaded} onChange={ACTIONS.toggleBreakOnError} /> Break on error
      </label>
    </div>
  );
}
