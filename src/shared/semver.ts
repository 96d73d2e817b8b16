/** Semantic versions (semver.org 2.0.0) as `pack.yaml` carries them: checking and bumping. */

/** The grammar of semver.org: no leading zeros, optional pre-release and build metadata. */
export const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

export type VersionBump = 'patch' | 'minor' | 'major';

export function isSemver(value: string): boolean {
  return SEMVER.test(value);
}

/**
 * The next version, as npm's `semver.inc` computes it: a pre-release of the target version is
 * released rather than skipped (1.2.0-rc.1 bumped minor is 1.2.0), and build metadata is dropped.
 * Null when `version` is not a semantic version.
 */
export function bumpVersion(version: string, bump: VersionBump): string | null {
  const match = SEMVER.exec(version);
  if (!match) return null;
  // BigInt: semver puts no bound on the numbers.
  let major = BigInt(match[1] as string);
  let minor = BigInt(match[2] as string);
  let patch = BigInt(match[3] as string);
  const pre = match[4] !== undefined;
  if (bump === 'major') {
    if (!pre || minor !== 0n || patch !== 0n) major += 1n;
    minor = 0n;
    patch = 0n;
  } else if (bump === 'minor') {
    if (!pre || patch !== 0n) minor += 1n;
    patch = 0n;
  } else if (!pre) {
    patch += 1n;
  }
  return `${major}.${minor}.${patch}`;
}
