/**
 * `component-adaptive-card.render`: produces `{renderedCard}` from an inline card or a card asset of
 * the project, with `${path}` placeholders filled from the input's template parameters.
 */
import type { JsonValue } from '../../../shared/flow/compiled';
import { nodeError, success, type ComponentOutcome } from '../host';
import type { BuiltinComponent } from './builtin';

/** Reads a project asset (a path relative to the project root, checked to stay inside it). */
export interface AssetReader {
  readText(relativePath: string): Promise<string>;
}

const MAX_CARD_BYTES = 1024 * 1024;
const PARAM_KEYS = ['params', 'template_params', 'data', 'payload'] as const;

export function adaptiveCardComponent(assets: AssetReader | undefined): BuiltinComponent {
  return {
    ids: ['component-adaptive-card', 'adaptive-card', 'ai.greentic.component-adaptive-card'],
    operations: ['render', 'card', 'run'],
    describe: { id: 'component-adaptive-card', operations: [{ name: 'render' }] },
    async run({ input, config }) {
      if (!isObject(input)) return nodeError('invalid_input', 'the adaptive card component needs an object input');
      const spec = cardSpec(input, config);
      let card: JsonValue;
      if (spec.source === 'asset') {
        if (!spec.assetPath) return nodeError('invalid_input', 'card_source `asset` needs card_spec.asset_path');
        if (!assets) return nodeError('asset_unavailable', `card asset ${spec.assetPath} cannot be read: no project is open`);
        let text: string;
        try {
          text = await assets.readText(spec.assetPath);
        } catch (error) {
          return nodeError('asset_not_found', `card asset ${spec.assetPath} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
        }
        if (text.length > MAX_CARD_BYTES) return nodeError('invalid_card', `card asset ${spec.assetPath} is larger than 1 MiB`);
        const parsed = parseCard(text, spec.assetPath);
        if ('error' in parsed) return parsed.error;
        card = parsed.card;
      } else {
        const inline = spec.inline;
        if (inline === undefined) return nodeError('invalid_input', 'an inline card needs card_spec.inline_json');
        if (typeof inline === 'string') {
          const parsed = parseCard(inline, 'inline_json');
          if ('error' in parsed) return parsed.error;
          card = parsed.card;
        } else card = inline;
      }
      if (!isObject(card) || card.type !== 'AdaptiveCard') {
        return nodeError('invalid_card', 'the card is not an Adaptive Card (its `type` must be "AdaptiveCard")');
      }
      const params = PARAM_KEYS.map((key) => input[key]).find(isObject) ?? {};
      return success({ renderedCard: fillPlaceholders(card, { ...params, locale: input.locale ?? null }) });
    },
  };
}

interface CardSpec {
  source: 'inline' | 'asset';
  inline?: JsonValue;
  assetPath?: string;
}

/** Reads `card_source`/`card_spec`, lifting the config's `default_card_*` when the input has none. */
function cardSpec(input: Record<string, JsonValue>, config: JsonValue): CardSpec {
  const spec = isObject(input.card_spec) ? input.card_spec : {};
  const defaults = isObject(config) ? config : isObject(input.config) ? input.config : {};
  const assetPath = str(spec.asset_path) ?? str(defaults.default_card_asset);
  const inline = spec.inline_json ?? defaults.default_card_inline ?? (isObject(input.card) ? input.card : undefined);
  const declared = str(input.card_source) ?? str(defaults.default_source);
  const source = declared === 'asset' || (declared === undefined && assetPath !== undefined && inline === undefined) ? 'asset' : 'inline';
  return { source, ...(inline !== undefined ? { inline } : {}), ...(assetPath !== undefined ? { assetPath } : {}) };
}

function parseCard(text: string, origin: string): { card: JsonValue } | { error: ComponentOutcome } {
  try {
    return { card: JSON.parse(text) as JsonValue };
  } catch (error) {
    return { error: nodeError('invalid_card', `card ${origin} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`) };
  }
}

const WHOLE_PLACEHOLDER = /^\$\{\s*([\w.$-]+)\s*\}$/;
const PLACEHOLDER = /\$\{\s*([\w.$-]+)\s*\}/g;

/** Adaptive Card template binding, the simple part: `${a.b}` in any string of the card. */
export function fillPlaceholders(value: JsonValue, params: Record<string, JsonValue>): JsonValue {
  if (typeof value === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(value);
    if (whole?.[1]) return lookup(params, whole[1]) ?? '';
    return value.replace(PLACEHOLDER, (_, path: string) => printable(lookup(params, path)));
  }
  if (Array.isArray(value)) return value.map((item) => fillPlaceholders(item, params));
  if (isObject(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) out[key] = fillPlaceholders(item, params);
    return out;
  }
  return value;
}

function lookup(root: Record<string, JsonValue>, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = root;
  for (const key of path.replace(/^\$root\./, '').split('.')) {
    if (!isObject(current) && !Array.isArray(current)) return undefined;
    current = Array.isArray(current) ? current[Number(key)] : Object.prototype.hasOwnProperty.call(current, key) ? current[key] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

function printable(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function str(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
