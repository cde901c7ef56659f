// Chat replies as Markdown: code fences (also unclosed while streaming), lists, inline code and emphasis, and no HTML.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from './markdown';

const html = (text: string): string => renderToStaticMarkup(createElement(Markdown, { text }));

describe('Markdown', () => {
  it('renders paragraphs, lists, inline code, bold and a fenced code block', () => {
    expect(html('Use a **ref** and `useEffect`:\n\n- read it\n- write it\n\n```ts\nconst a = 1 < 2;\n```\nDone.')).toBe(
      '<p>Use a <strong>ref</strong> and <code>useEffect</code>:</p><ul><li>read it</li><li>write it</li></ul>' +
        '<pre class="chat-code" data-lang="ts"><code>const a = 1 &lt; 2;</code></pre><p>Done.</p>',
    );
  });

  it('shows an unclosed fence (a reply still streaming) as code up to the end', () => {
    expect(html('Try:\n```js\nlet x = *y*')).toBe(
      '<p>Try:</p><pre class="chat-code" data-lang="js"><code>let x = *y*</code></pre>',
    );
  });

  it('escapes HTML instead of rendering it', () => {
    expect(html('<img src=x onerror=alert(1)>')).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>');
  });
});
