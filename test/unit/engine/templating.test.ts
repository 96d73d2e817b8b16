import { describe, expect, it } from 'vitest';
import { formatValue, renderMapping, renderString } from '../../../src/runtime/engine/templating';

const context = {
  prev: { messages: [{ type: 'text', text: 'a' }], count: 3, flag: true, nothing: null },
  in: { input: { text: 'hi', metadata: { action: 'about' } } },
  x: '<i>',
  list: [1, 'two', { k: 1 }],
};

describe('payload templating (runtime.md §4.2)', () => {
  it('inserts the typed value when the whole string is one expression', () => {
    expect(renderString('{{prev.messages}}', context)).toEqual([{ type: 'text', text: 'a' }]);
    expect(renderString('{{ prev.count }}', context)).toBe(3);
    expect(renderString('{{prev.flag}}', context)).toBe(true);
    expect(renderString('{{prev.nothing}}', context)).toBeNull();
    expect(renderString('{{list[2]}}', context)).toEqual({ k: 1 });
    expect(renderString('{{in["input"].text}}', context)).toBe('hi');
    expect(renderString('{{this.in.input.text}}', context)).toBe('hi');
  });

  it('renders a missing path as an empty string, typed or mixed', () => {
    expect(renderString('{{missing.path}}', context)).toBe('');
    expect(renderString('a{{missing.path}}b', context)).toBe('ab');
  });

  it('renders mixed strings to strings, without HTML escaping', () => {
    expect(renderString('{{in.input.text}}!', context)).toBe('hi!');
    expect(renderString('<b>{{x}}</b>', { x: '<i>' })).toBe('<b><i></b>');
    expect(renderString('n={{prev.count}} f={{prev.flag}}', context)).toBe('n=3 f=true');
  });

  it('prints arrays, objects and nulls inside strings the way upstream does', () => {
    expect(renderString('[{{list}}]', context)).toBe('[[1, two, [object]]]');
    expect(renderString('{{prev}}.', context)).toBe('[object].');
    expect(renderString('<{{prev.nothing}}>', context)).toBe('<>');
    expect(formatValue([1, [2, 3]])).toBe('[1, [2, 3]]');
  });

  it('supports the Handlebars built-ins: if, unless, each, with, lookup and sections', () => {
    expect(renderString('{{#if prev.flag}}yes{{else}}no{{/if}}', context)).toBe('yes');
    expect(renderString('{{#unless prev.flag}}yes{{else}}no{{/unless}}', context)).toBe('no');
    expect(renderString('{{#each list}}<{{this}}>{{/each}}', context)).toBe('<1><two><[object]>');
    expect(renderString('{{#with in.input}}{{text}}{{/with}}', context)).toBe('hi');
    expect(renderString('{{lookup list 1}}!', context)).toBe('two!');
    expect(renderString('{{#prev.messages}}[{{text}}]{{/prev.messages}}', context)).toBe('[a]');
  });

  it('walks the whole mapping, rendering string leaves only and never keys', () => {
    const mapping = { '{{x}}': '{{in.input.text}}', n: 1, nested: ['{{prev.count}}', false, null, 'plain'] };
    expect(renderMapping(mapping, context)).toEqual({ '{{x}}': 'hi', n: 1, nested: [3, false, null, 'plain'] });
  });

  it('reports a template syntax error as a render failure', () => {
    expect(() => renderString('{{#if x}}open', context)).toThrow(/failed to render node input template/);
    expect(() => renderString('Hello {{ name', context)).toThrow(/failed to render node input template/);
  });

  it('renders plain inserts exactly as full Handlebars does', () => {
    const values = { s: 'abc', n: 1.5, b: false, z: null, a: [1, [2]], o: { k: 'v' }, nested: { list: ['x', 'y'] } };
    const templates = ['{{s}}-{{n}}-{{b}}-{{z}}', '[{{a}}] {{o}}', '{{nested.list.[1]}}/{{nested.list}}', '{{s.length}} {{missing}} {{o.k}}', 'x {{ s }} y'];
    for (const template of templates) {
      // An empty block makes Handlebars render the same text through its full pipeline.
      expect(renderString(template, values)).toBe(renderString(`${template}{{#if b}}{{/if}}`, values));
    }
  });

  it('does not expose prototype properties', () => {
    expect(renderString('{{x.constructor}}', context)).toBe('');
    expect(renderString('a{{x.constructor.name}}', context)).toBe('a');
  });
});
