// Model-written Markdown: code fences (also unclosed while streaming), headings, lists, inline code and emphasis, and
// never HTML from the text.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown';

const html = (text: string): string => {
  const out = renderToStaticMarkup(createElement(Markdown, { text }));
  expect(out.startsWith('<div class="md">') && out.endsWith('</div>')).toBe(true);
  return out.slice('<div class="md">'.length, -'</div>'.length);
};

describe('Markdown', () => {
  it('renders paragraphs, lists, inline code, bold and a fenced code block', () => {
    expect(html('Use a **ref** and `useEffect`:\n\n- read it\n- write it\n\n```ts\nconst a = 1 < 2;\n```\nDone.')).toBe(
      '<p>Use a <strong>ref</strong> and <code>useEffect</code>:</p><ul><li>read it</li><li>write it</li></ul>' +
        '<pre class="md-code" data-lang="ts"><code>const a = 1 &lt; 2;</code></pre><p>Done.</p>',
    );
  });

  it('renders numbered lists (keeping a start number other than 1), headings and italics', () => {
    expect(html('## Steps\n1. *open* it\n2. close `it`\n\n3) again')).toBe(
      '<h4 class="md-heading">Steps</h4><ol><li><em>open</em> it</li><li>close <code>it</code></li>' +
        '<li>again</li></ol>',
    );
    expect(html('# Title\n\n4. four')).toBe('<h3 class="md-heading">Title</h3><ol start="4"><li>four</li></ol>');
  });

  it('nests marks inside bold and leaves the content of inline code literal', () => {
    expect(html('**the `key` prop** and `**not bold**`')).toBe(
      '<p><strong>the <code>key</code> prop</strong> and <code>**not bold**</code></p>',
    );
  });

  it('does not read underscores or stars inside words as emphasis', () => {
    expect(html('call snake_case_name with 2*3*4')).toBe('<p>call snake_case_name with 2*3*4</p>');
    expect(html('an _emphasised_ word')).toBe('<p>an <em>emphasised</em> word</p>');
  });

  it('shows an unclosed fence (a reply still streaming) as code up to the end', () => {
    expect(html('Try:\n```js\nlet x = *y*')).toBe(
      '<p>Try:</p><pre class="md-code" data-lang="js"><code>let x = *y*</code></pre>',
    );
  });

  it('keeps raw HTML and script as text, also inside marks, lists and code', () => {
    expect(html('<img src=x onerror=alert(1)>')).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>');
    const out = html(
      '<script>alert("x")</script>\n\n**<b onclick="x()">hi</b>**\n\n- <iframe src="javascript:alert(1)">\n\n' +
        '```html\n<script>evil()</script>\n```',
    );
    expect(out).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>' +
        '<p><strong>&lt;b onclick=&quot;x()&quot;&gt;hi&lt;/b&gt;</strong></p>' +
        '<ul><li>&lt;iframe src=&quot;javascript:alert(1)&quot;&gt;</li></ul>' +
        '<pre class="md-code" data-lang="html"><code>&lt;script&gt;evil()&lt;/script&gt;</code></pre>',
    );
    expect(out).not.toMatch(/<(script|img|iframe|b)\b/);
  });

  it('renders an empty text as nothing', () => {
    expect(html('')).toBe('');
  });
});
