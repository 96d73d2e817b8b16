import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isScalar, parseDocument, Scalar } from 'yaml';
import type { PackVersionChange, PackVersionInfo } from '../../../shared/api/pack';
import { bumpVersion, isSemver, type VersionBump } from '../../../shared/semver';
import { writeFileAtomic } from '../../fs/atomic';
import { PackError } from '../errors';

const PACK_YAML = 'pack.yaml';
/** Far above any real pack.yaml; a bigger file is not one. */
const MAX_PACK_YAML_BYTES = 1024 * 1024;

/** `pack_id` and `version` as `pack.yaml` states them. */
export async function readPackVersion(root: string): Promise<PackVersionInfo> {
  const { doc } = await loadPackYaml(root);
  return { root, pack_id: stringField(doc, 'pack_id'), version: stringField(doc, 'version') };
}

/**
 * Sets the version in `pack.yaml`. Only the version's characters change: the rest of the file (its
 * comments, key order, quoting and layout) stays byte for byte as the user wrote it.
 */
export async function setPackVersion(root: string, change: { version: string } | { bump: VersionBump }): Promise<PackVersionChange> {
  const { file, text, doc } = await loadPackYaml(root);
  const previous = stringField(doc, 'version');
  const next = 'version' in change ? change.version : bumpVersion(previous, change.bump);
  if (next === null) throw new PackError('config_invalid', `pack.yaml: version: "${previous}" is not a semantic version, so it cannot be bumped`, PACK_YAML);
  if (!isSemver(next)) throw new PackError('config_invalid', `"${next}" is not a semantic version such as 1.2.3`, PACK_YAML);
  const node = doc.get('version', true);
  const range = isScalar(node) ? node.range : null;
  const rendered = isScalar(node) ? renderLike(node, next) : null;
  let updated: string;
  if (range && rendered !== null) {
    updated = text.slice(0, range[0]) + rendered + text.slice(range[1]);
  } else {
    // A block scalar or another unusual form: let the library write it, comments and order still kept.
    doc.set('version', next);
    updated = doc.toString();
  }
  const check = parseDocument(updated);
  if (check.errors.length > 0 || check.get('version') !== next) {
    throw new PackError('config_invalid', 'pack.yaml could not be updated without changing more than its version', PACK_YAML);
  }
  await writeFileAtomic(file, updated);
  return { pack_id: stringField(doc, 'pack_id'), previous, version: next };
}

async function loadPackYaml(root: string) {
  const file = path.join(root, PACK_YAML);
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw new PackError('config_invalid', `${PACK_YAML} not found in ${root}: this project is not a pack project`, PACK_YAML);
  if (stat.size > MAX_PACK_YAML_BYTES) throw new PackError('config_invalid', `${PACK_YAML} is ${stat.size} bytes; at most ${MAX_PACK_YAML_BYTES} are allowed`, PACK_YAML);
  const text = await fs.readFile(file, 'utf8');
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) throw new PackError('config_invalid', `${PACK_YAML} is not valid YAML: ${error.message}`, PACK_YAML);
  return { file, text, doc };
}

function stringField(doc: ReturnType<typeof parseDocument>, key: string): string {
  const value: unknown = doc.get(key);
  if (typeof value !== 'string' || value.length === 0) throw new PackError('config_invalid', `${PACK_YAML}: ${key}: a non-empty string is required`, PACK_YAML);
  return value;
}

/** The new version written in the quoting style of the old one; null for styles we do not rewrite in place. */
function renderLike(node: Scalar, version: string): string | null {
  if (node.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(version);
  if (node.type === Scalar.QUOTE_SINGLE) return `'${version}'`;
  // A plain semantic version always reads back as a string (it has two dots, or a pre-release).
  if (node.type === Scalar.PLAIN) return version;
  return null;
}
