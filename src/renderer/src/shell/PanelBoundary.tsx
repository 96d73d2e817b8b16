import { Component, type ErrorInfo, type ReactNode } from 'react';

interface PanelBoundaryProps {
  /** What the panel is, as the user knows it: "canvas", "inspector", "NATS workspace". */
  name: string;
  /** The panel starts again when this changes (another flow, another view). */
  resetKey?: string;
  children: ReactNode;
}

interface PanelBoundaryState {
  error: Error | null;
  resetKey: string | undefined;
}

/**
 * Keeps a failing panel from taking the window with it: the panel is replaced by what failed and a
 * way to try again, and everything else stays on screen. The documents and their unsaved text live in
 * the editor store (and its crash copies), which a render error does not touch.
 */
export class PanelBoundary extends Component<PanelBoundaryProps, PanelBoundaryState> {
  override state: PanelBoundaryState = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<PanelBoundaryState> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: PanelBoundaryProps, state: PanelBoundaryState): Partial<PanelBoundaryState> | null {
    return props.resetKey === state.resetKey ? null : { error: null, resetKey: props.resetKey };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`The ${this.props.name} failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="panel-failed" role="alert" data-testid="panel-failed" data-panel={this.props.name}>
        <strong>The {this.props.name} stopped working.</strong>
        <p>Your flows and unsaved edits are kept; the rest of the studio goes on working.</p>
        <pre>{error.message}</pre>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
