/** Optional registry credentials; the password is sent with the one call and never stored. */
export function CredentialFields({ username, password, onUsername, onPassword }: { username: string; password: string; onUsername(value: string): void; onPassword(value: string): void }) {
  return (
    <details className="registry-credentials">
      <summary>Credentials</summary>
      <input type="text" aria-label="Registry user" placeholder="user (optional)" autoComplete="username" value={username} onChange={(e) => onUsername(e.target.value)} />
      <input type="password" aria-label="Registry password or token" placeholder="password or token" autoComplete="current-password" value={password} onChange={(e) => onPassword(e.target.value)} />
    </details>
  );
}

export function credentialParams(username: string, password: string): { username?: string; password?: string } {
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
}
