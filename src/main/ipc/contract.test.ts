// No transport can drift from the contract: every channel has a main handler, a preload binding and a bridge binding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES, invokeChannels, type InvokeDef } from '../../shared/ipc/contract';
import { preloadBindings } from '../../preload/bindings';
import type { BridgeServer } from '../bridge/bridge-server';
import { startTestBridge, startTestCore, type TestCore } from '../testing/harness';
import { NodeBridgeTransport } from '../testing/bridge-client';

const TOKEN = 'contract-test-token-0123456789abcdefghijklmnop';
let t: TestCore;
let bridge: BridgeServer;
let client: NodeBridgeTransport;

beforeAll(async () => {
  t = await startTestCore();
  bridge = await startTestBridge(t.core, TOKEN);
  client = await NodeBridgeTransport.connect({ url: `ws://127.0.0.1:${bridge.port}/bridge`, token: TOKEN });
});

afterAll(async () => {
  await client.close();
  await t.core.shutdown('test end');
});

describe('IPC contract coverage', () => {
  it('the modules of the app serve every invoke channel, each once', () => {
    expect(t.core.servedChannels().sort()).toEqual([...INVOKE_CHANNEL_NAMES].sort());
    for (const name of INVOKE_CHANNEL_NAMES) expect(t.core.router.hasHandler(name)).toBe(true);
  });

  it('the preload binds exactly the contract channels', () => {
    const b = preloadBindings();
    expect([...b.invoke].sort()).toEqual([...INVOKE_CHANNEL_NAMES].sort());
    expect([...b.events].sort()).toEqual([...EVENT_CHANNEL_NAMES].sort());
  });

  it.each(INVOKE_CHANNEL_NAMES)('the bridge serves %s', async (channel) => {
    const env = await client.invoke(channel, {});
    const def: InvokeDef = invokeChannels[channel];
    if (env.ok) return;
    // Reaching validation or the handler proves the binding; only unknown channels are a failure here.
    expect(env.error.code).not.toBe('UNKNOWN_CHANNEL');
    if (def.electronOnly) expect(env.error.code).toBe('NOT_SUPPORTED');
  });
});
