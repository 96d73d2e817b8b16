import { describe, expect, it } from 'vitest';
import { cardMarkdownToHtml } from '../../../src/renderer/src/chat/card-markdown';

describe('Adaptive Cards Markdown', () => {
  it('renders the subset cards use: bold, italic, links, lists, line breaks', () => {
    expect(cardMarkdownToHtml('Hello **Ada**, _welcome_ and *again*')).toBe('<p>Hello <strong>Ada</strong>, <em>welcome</em> and <em>again</em></p>');
    expect(cardMarkdownToHtml('See [the docs](https://example.org/a)')).toBe('<p>See <a href="https://example.org/a" target="_blank" rel="noopener noreferrer">the docs</a></p>');
    expect(cardMarkdownToHtml('Steps:\n- one\n- two\n\n1. first\n2. second')).toBe('<p>Steps:</p><ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>');
    expect(cardMarkdownToHtml('line one\nline two')).toBe('<p>line one<br>line two</p>');
  });

  it('keeps everything else as text: HTML escaped, unsafe links and snake_case left alone', () => {
    expect(cardMarkdownToHtml('<img src=x onerror=alert(1)> & "q"')).toBe('<p>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;</p>');
    expect(cardMarkdownToHtml('[click](javascript:alert(1))')).toBe('<p>[click](javascript:alert(1))</p>');
    expect(cardMarkdownToHtml('text_tools and wait_for_text')).toBe('<p>text_tools and wait_for_text</p>');
  });
});
