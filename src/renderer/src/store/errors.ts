/** The message a user should read for anything thrown by a call or an operation. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
