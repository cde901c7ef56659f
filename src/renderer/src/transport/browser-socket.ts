// Adapts the browser WebSocket to the transport's minimal `WebSocketLike` (the only file that touches `WebSocket`).
import type { WebSocketFactory, WebSocketLike } from './bridge-transport';

export const createBrowserSocket: WebSocketFactory = (url) => {
  const ws = new WebSocket(url);
  const like: WebSocketLike = {
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
    send: (data) => {
      ws.send(data);
    },
    close: (code, reason) => {
      ws.close(code, reason);
    },
  };
  ws.onopen = () => like.onopen?.();
  ws.onmessage = (event: MessageEvent<unknown>) => like.onmessage?.({ data: event.data });
  ws.onclose = (event: CloseEvent) => like.onclose?.({ code: event.code, reason: event.reason });
  ws.onerror = () => like.onerror?.();
  return like;
};
