// A small Markdown renderer for model-written text (chat replies, explanations, coaching messages): paragraphs,
// headings, bullet and numbered lists, fenced code blocks (an unclosed fence, as while a reply streams, runs to the
// end), inline code, bold and italics. It builds React elements, never HTML: raw HTML in the text stays text.
import type { ReactNode } from 'react';
import './markdown.css';

type Block =
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: string[] }
  | { kind: 'para'; text: string };

function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  const endPara = (): void => {
    if (para.length > 0) blocks.push({ kind: 'para', text: para.join('\n') });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*```\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      endPara();
      const body: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```\s*$/.test(lines[i]!)) body.push(lines[i++]!);
      blocks.push({ kind: 'code', lang: fence[1] ?? '', text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      endPara();
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
      continue;
    }
    const item = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/.exec(line);
    if (item) {
      endPara();
      const ordered = item[2] !== undefined;
      const last = blocks.at(-1);
      if (last?.kind === 'list' && last.ordered === ordered) last.items.push(item[3]!);
      else blocks.push({ kind: 'list', ordered, start: ordered ? Number(item[2]) : 1, items: [item[3]!] });
      continue;
    }
    if (line.trim() === '') {
      endPara();
      continue;
    }
    // A line indented under a list item continues that item.
    const last = blocks.at(-1);
    if (para.length === 0 && last?.kind === 'list' && /^\s{2,}\S/.test(line)) {
      last.items[last.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    para.push(line);
  }
  endPara();
  return blocks;
}

/**
 * Inline code first (its content is literal), then bold and italics, whose content may hold more inline marks. An
 * underscore or star inside a word (snake_case, 2*3*4) is not emphasis.
 */
function inline(text: string, key = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  const re =
    /`([^`]+)`|\*\*(?=\S)(.+?)\*\*|__(?=\S)(.+?)__(?!\w)|(?<![\w*])\*(?=[^*\s])([^*]+?)\*(?![\w*])|(?<!\w)_(?=[^_\s])([^_]+?)_(?!\w)/g;
  let last = 0;
  let k = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const id = `${key}.${k++}`;
    if (m[1] !== undefined) out.push(<code key={id}>{m[1]}</code>);
    else if (m[2] !== undefined || m[3] !== undefined) out.push(<strong key={id}>{inline(m[2] ?? m[3]!, id)}</strong>);
    else out.push(<em key={id}>{inline(m[4] ?? m[5]!, id)}</em>);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Heading levels sit under the panel's own headings: `#` is an h3, and so on down to h6. */
const HEADING_TAGS = ['h3', 'h4', 'h5', 'h6'] as const;

export function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className ? `md ${className}` : 'md'}>
      {parseBlocks(text).map((b, i) => {
        switch (b.kind) {
          case 'code':
            return (
              <pre key={i} className="md-code" data-lang={b.lang || undefined}>
                <code>{b.text}</code>
              </pre>
            );
          case 'heading': {
            const Tag = HEADING_TAGS[Math.min(b.level, HEADING_TAGS.length) - 1]!;
            return (
              <Tag key={i} className="md-heading">
                {inline(b.text)}
              </Tag>
            );
          }
          case 'list': {
            const items = b.items.map((t, j) => <li key={j}>{inline(t)}</li>);
            return b.ordered ? (
              <ol key={i} start={b.start === 1 ? undefined : b.start}>
                {items}
              </ol>
            ) : (
              <ul key={i}>{items}</ul>
            );
          }
          case 'para':
            return <p key={i}>{inline(b.text)}</p>;
        }
      })}
    </div>
  );
}
