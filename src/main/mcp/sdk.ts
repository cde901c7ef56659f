// The MCP SDK's server side, loaded on the first MCP request instead of at start-up: it is the largest thing
// `paige serve` would otherwise require before its ready line, and nothing before the first request needs it.
import type * as ServerModule from '@modelcontextprotocol/sdk/server/index.js';
import type * as HttpModule from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type * as TypesModule from '@modelcontextprotocol/sdk/types.js';

export interface McpSdk {
  Server: typeof ServerModule.Server;
  StreamableHTTPServerTransport: typeof HttpModule.StreamableHTTPServerTransport;
  isInitializeRequest: typeof TypesModule.isInitializeRequest;
  CallToolRequestSchema: typeof TypesModule.CallToolRequestSchema;
  ListToolsRequestSchema: typeof TypesModule.ListToolsRequestSchema;
  ErrorCode: typeof TypesModule.ErrorCode;
  McpError: typeof TypesModule.McpError;
  SUPPORTED_PROTOCOL_VERSIONS: readonly string[];
}

/** Resolves to the SDK's server classes and schemas; Node's module cache makes every call after the first cheap. */
export async function loadMcpSdk(): Promise<McpSdk> {
  const [server, http, types] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/index.js'),
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]);
  return {
    Server: server.Server,
    StreamableHTTPServerTransport: http.StreamableHTTPServerTransport,
    isInitializeRequest: types.isInitializeRequest,
    CallToolRequestSchema: types.CallToolRequestSchema,
    ListToolsRequestSchema: types.ListToolsRequestSchema,
    ErrorCode: types.ErrorCode,
    McpError: types.McpError,
    SUPPORTED_PROTOCOL_VERSIONS: types.SUPPORTED_PROTOCOL_VERSIONS,
  };
}
