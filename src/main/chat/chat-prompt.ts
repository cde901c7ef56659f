// The coach chat's prompt: Paige's persona and rules (stable, cached), the learner's current context, and the last
// messages of the chat within a token budget, followed by the new question.
import type { PromptPart } from '../llm/client';
import { truncate } from '../llm/agents/kit';

/** The chat answers in the sidebar, so replies stay short enough to read there. */
export const CHAT_MAX_TOKENS = 2_048;
/** Earlier messages sent with a question: the last 20, and no more than 12 000 tokens of them. @visibleForTesting */
export const HISTORY_MAX_MESSAGES = 20;
const HISTORY_MAX_TOKENS = 12_000;
/** A rough token estimate (about four characters a token for English and code), enough to keep a budget. */
const CHARS_PER_TOKEN = 4;
/** Open files listed in the context; more than this says little about what the learner is looking at. */
const MAX_OPEN_FILES = 30;

export interface ChatContext {
  /** The learner's Dreyfus stage (lowest assessed), or null before any assessment. */
  stage: string | null;
  issue: { number: number | null; title: string } | null;
  phase: {
    number: number;
    title: string;
    description: string;
    tasks: { number: number; title: string; done: boolean }[];
  } | null;
  openFiles: string[];
}

/** @visibleForTesting */
export interface HistoryMessage {
  role: 'user' | 'assistant';
  content: string;
  /** `partial` / `failed` assistant replies were cut off; the model is told so. */
  status: string;
}

const CHAT_PERSONA = `You are Paige, a patient and encouraging coding coach inside the Paige desktop app. A learner is working on a real issue in their own project while Claude Code, in the terminal, does the planning with them. This chat is a side channel where the learner can ask you anything without going through Claude Code.

How you help:
- Teach, do not take over. Explain concepts, point to where to look, ask a guiding question when the learner is close. Give a full solution only when they ask for one explicitly, and then explain it.
- Match the learner's stage: for a Novice, define terms and go step by step; for a Competent or more experienced learner, be brief and talk about trade-offs.
- Keep answers short enough for a narrow sidebar: a few short paragraphs, lists where they help. Use Markdown; put code in fenced blocks with the language named.
- Be honest about what you do not know. You only see what is in this conversation and the context below, not the file contents.

What you cannot do:
- You have no tools. You cannot read, create, edit or delete files, run commands, or change the plan. If the learner asks you to, say so and tell them what they can do themselves (or ask Claude Code in the terminal).`;

function tokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** The context block: stage, issue, active phase with its tasks, open files. Changes only when the learner moves on. */
function chatContextText(ctx: ChatContext): string {
  const lines: string[] = ['# Current context'];
  lines.push(`Learner stage: ${ctx.stage ?? 'not assessed yet (assume Novice)'}`);
  if (ctx.issue) {
    lines.push(`Issue: ${ctx.issue.number !== null ? `#${ctx.issue.number} ` : ''}${truncate(ctx.issue.title, 300)}`);
  } else {
    lines.push('Issue: none (no coaching session is active)');
  }
  if (ctx.phase) {
    lines.push(`Active phase ${ctx.phase.number}: ${truncate(ctx.phase.title, 200)}`);
    if (ctx.phase.description) lines.push(truncate(ctx.phase.description, 1_500));
    for (const t of ctx.phase.tasks)
      lines.push(`- [${t.done ? 'x' : ' '}] Task ${t.number}: ${truncate(t.title, 200)}`);
  }
  const files = ctx.openFiles.slice(0, MAX_OPEN_FILES);
  lines.push(`Open files: ${files.length > 0 ? files.join(', ') : 'none'}`);
  if (ctx.openFiles.length > files.length) lines.push(`(and ${ctx.openFiles.length - files.length} more)`);
  return lines.join('\n');
}

/** The newest messages that fit: at most 20, at most 12 000 tokens; an oldest message that is too long is cut. */
function selectHistory(messages: readonly HistoryMessage[]): HistoryMessage[] {
  const recent = messages.slice(-HISTORY_MAX_MESSAGES);
  const picked: HistoryMessage[] = [];
  let budget = HISTORY_MAX_TOKENS;
  for (let i = recent.length - 1; i >= 0; i--) {
    const m = recent[i]!;
    const cost = tokens(m.content);
    if (cost <= budget) {
      picked.unshift(m);
      budget -= cost;
      continue;
    }
    // Keep the newest part of the conversation whole; a long older message gets what is left of the budget.
    if (budget > 50) picked.unshift({ ...m, content: truncate(m.content, budget * CHARS_PER_TOKEN) });
    break;
  }
  return picked;
}

function transcriptLine(m: HistoryMessage): string {
  const who = m.role === 'user' ? 'Learner' : 'Paige';
  const cut = m.role === 'assistant' && (m.status === 'partial' || m.status === 'failed') ? ' (reply was cut off)' : '';
  return `<message from="${who}"${cut ? ' cut_off="true"' : ''}>\n${m.content}\n</message>`;
}

interface ChatPrompt {
  system: PromptPart[];
  user: string;
}

/** The whole request: persona (cache breakpoint), context, then the earlier conversation and the new question. */
export function buildChatPrompt(ctx: ChatContext, history: readonly HistoryMessage[], question: string): ChatPrompt {
  const kept = selectHistory(history);
  const parts: string[] = [];
  if (kept.length > 0) {
    parts.push(`<conversation_so_far>\n${kept.map(transcriptLine).join('\n')}\n</conversation_so_far>`);
  }
  parts.push(`<question>\n${question}\n</question>`);
  return {
    system: [{ text: CHAT_PERSONA, cache: true }, { text: chatContextText(ctx) }],
    user: parts.join('\n\n'),
  };
}
