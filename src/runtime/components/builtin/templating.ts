/**
 * `templating.handlebars` and the `templates` component. The engine has already rendered every
 * template string of the node's input (runtime.md §4), so the component's job is to shape the
 * result: `{text}` out, whatever the input called its text.
 */
import type { JsonValue } from '../../../shared/flow/compiled';
import { nodeError, success } from '../host';
import type { BuiltinComponent } from './builtin';

const textSchema: JsonValue = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] };

function renderText(input: JsonValue): ReturnType<BuiltinComponent['run']> {
  if (typeof input === 'string') return success({ text: input });
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const text = input.text ?? input.template;
    if (typeof text === 'string') return success({ text });
    if (typeof text === 'number' || typeof text === 'boolean') return success({ text: String(text) });
  }
  return nodeError('invalid_input', 'the templating component needs a `text` string in its input');
}

export const handlebarsComponent: BuiltinComponent = {
  ids: ['templating', 'ai.greentic.component-templating'],
  operations: ['handlebars', 'render', 'run'],
  describe: {
    id: 'templating',
    operations: [
      { name: 'handlebars', inputSchema: textSchema, outputSchema: textSchema },
      { name: 'render', inputSchema: textSchema, outputSchema: textSchema },
    ],
  },
  run: ({ input }) => renderText(input),
};

export const templatesComponent: BuiltinComponent = {
  ids: ['templates', 'component-templates', 'ai.greentic.component-templates'],
  operations: '*',
  describe: { id: 'ai.greentic.component-templates', operations: [{ name: 'handle_message', inputSchema: textSchema, outputSchema: textSchema }] },
  run: ({ input }) => renderText(input),
};
