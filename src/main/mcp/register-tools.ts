// Paige's MCP tools (docs/mcp.md), one McpServer per MCP session. Wrap-up retry, pipeline and memory search need
// the model and memory layers; they join when those land.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { inputSchemasOf, type McpToolDeps } from './tool-kit';
import { registerClearHighlightsTool } from './tools/clear-highlights';
import { registerClearHintsTool } from './tools/clear-hints';
import { registerEndSessionTool } from './tools/end-session';
import { registerGetActiveSessionTool } from './tools/get-active-session';
import { registerGetBufferTool } from './tools/get-buffer';
import { registerGetDiffTool } from './tools/get-diff';
import { registerGetOpenFilesTool } from './tools/get-open-files';
import { registerGetSessionStateTool } from './tools/get-session-state';
import { registerHighlightLinesTool } from './tools/highlight-lines';
import { registerHintFilesTool } from './tools/hint-files';
import { registerOpenFileTool } from './tools/open-file';
import { registerShowIssueContextTool } from './tools/show-issue-context';
import { registerShowMessageTool } from './tools/show-message';
import { registerStartSessionTool } from './tools/start-session';
import { registerUpdatePhaseTool } from './tools/update-phase';
import { registerValidateCommandTool } from './tools/validate-command';

type RequestHandler = (request: unknown, extra: unknown) => Promise<unknown>;

/** The SDK's private handler table, reached once to wrap `tools/call` (pinned SDK version, covered by a test). */
interface ProtocolInternals {
  _requestHandlers: Map<string, RequestHandler>;
}

export function registerTools(server: McpServer, deps: McpToolDeps): void {
  registerStartSessionTool(server, deps);
  registerEndSessionTool(server, deps);
  registerGetActiveSessionTool(server, deps);
  registerGetBufferTool(server, deps);
  registerGetOpenFilesTool(server, deps);
  registerGetDiffTool(server, deps);
  registerGetSessionStateTool(server, deps);
  registerOpenFileTool(server, deps);
  registerHighlightLinesTool(server, deps);
  registerClearHighlightsTool(server, deps);
  registerHintFilesTool(server, deps);
  registerClearHintsTool(server, deps);
  registerUpdatePhaseTool(server, deps);
  registerShowMessageTool(server, deps);
  registerShowIssueContextTool(server, deps);
  registerValidateCommandTool(server, deps);
  refuseMalformedArguments(server);
}

/**
 * Malformed arguments are a JSON-RPC InvalidParams (-32602) error. SDK 1.32 turns them into an
 * `isError` tool result instead, so `tools/call` is wrapped to check the arguments first and throw, which the protocol
 * layer answers as a JSON-RPC error. Unknown tool names get the same treatment.
 */
function refuseMalformedArguments(server: McpServer): void {
  const handlers = (server.server as unknown as ProtocolInternals)._requestHandlers;
  const original = handlers.get('tools/call');
  if (!original) throw new Error('McpServer registered no tools/call handler');
  const schemas = inputSchemasOf(server);
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const schema = schemas.get(request.params.name);
    if (!schema) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const parsed = schema.safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ');
      throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for ${request.params.name}: ${issues}`);
    }
    return (await original(request, extra)) as Awaited<ReturnType<RequestHandler>> as never;
  });
}
