// Test support for `paige_run_coaching_pipeline` over a real MCP client: the session on the fixture's CSV bug, the
// pipeline call with Claude Code's plan for it, and what the fake model was sent.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FakeAnthropic } from '../../../../e2e/fake-anthropic/server';
import { textOf } from '../../../../e2e/fake-anthropic/wire';
import { ISSUE_SUMMARY, PLAN_TEXT } from '../../../../e2e/fixtures/coaching-plan';
import { TOOL_NAMES } from '../../../shared/mcp/tools';

/** Starts a session in `projectDir` on the fixture's issue #42; throws the tool error if it fails. */
export async function startCsvSession(client: Client, projectDir: string): Promise<void> {
  const r = (await client.callTool({
    name: TOOL_NAMES.startSession,
    arguments: { project_dir: projectDir, issue_number: 42, issue_title: 'CSV import breaks on quoted fields' },
  })) as CallToolResult;
  if (r.isError) throw new Error(`start session failed: ${JSON.stringify(r.content)}`);
}

/** Hands Claude Code's plan for issue #42 to the pipeline. */
export function runPipeline(client: Client): Promise<CallToolResult> {
  return client.callTool({
    name: TOOL_NAMES.runCoachingPipeline,
    arguments: { plan_text: PLAN_TEXT, issue_summary: ISSUE_SUMMARY, issue_number: 42 },
  }) as Promise<CallToolResult>;
}

/** The JSON user message of the n-th main request to the fake. */
export function sentInput(fake: FakeAnthropic, n: number): Record<string, unknown> {
  return JSON.parse(textOf(fake.mainRequests()[n]!.body!.messages[0]!.content)) as Record<string, unknown>;
}
