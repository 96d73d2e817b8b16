import { firstError, loadFlow, type Diagnostic } from '../../../src/shared/flow';

/** A flow text from lines, so that test documents read like the files they stand for. */
export function flow(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

export function upstreamError(text: string): Diagnostic | undefined {
  return firstError(loadFlow(text, { lints: false }).diagnostics);
}

export function codes(text: string, severity?: Diagnostic['severity']): string[] {
  return loadFlow(text)
    .diagnostics.filter((d) => severity === undefined || d.severity === severity)
    .map((d) => d.code);
}
