// The coach chat's IPC handlers: thin adapters over the ChatHub.
import type { HandlerMap } from '../ipc/router';
import type { ChatHub } from './chat-hub';

type ChatChannel =
  | 'chat:session_create'
  | 'chat:session_list'
  | 'chat:session_delete'
  | 'chat:send'
  | 'chat:interrupt'
  | 'chat:dequeue'
  | 'chat:history'
  | 'chat:state'
  | 'chat:turns';

export function createChatHandlers(hub: ChatHub): Pick<HandlerMap, ChatChannel> {
  return {
    'chat:session_create': (input) => hub.createSession(input),
    'chat:session_list': (input) => hub.listSessions(input),
    'chat:session_delete': ({ chatSessionId }) => hub.deleteSession(chatSessionId),
    'chat:send': (input) => hub.send(input),
    'chat:interrupt': (input) => hub.interrupt(input),
    'chat:dequeue': (input) => hub.dequeue(input),
    'chat:history': (input) => hub.history(input),
    'chat:state': ({ chatSessionId }) => hub.state(chatSessionId),
    'chat:turns': ({ chatSessionId }) => hub.turns(chatSessionId),
  };
}
