// The bridge's WebSocket server, in a module of its own so that `ws` is required only when the bridge first needs it
// (bridge-server.ts imports this file lazily; bundled, it is a chunk of its own).
import { WebSocketServer } from 'ws';

export function createWebSocketServer(maxPayload: number): WebSocketServer {
  return new WebSocketServer({ noServer: true, maxPayload });
}
