// Feature module: the authenticated local bridge that serves the renderer and the contract to a browser (`paige
// serve`). Present only in the headless composition; the desktop window talks over Electron IPC instead.
import type { FeatureModule } from '../modules/feature-module';
import { BridgeServer } from './bridge-server';

declare module '../modules/feature-module' {
  interface ServiceMap {
    bridge: BridgeServer;
  }
}

export interface BridgeModuleOptions {
  /** The per-run secret a browser presents (carried in the URL fragment). */
  token: string;
  /** Built renderer (out/renderer); null serves a page explaining how to build it. */
  rendererDir: string | null;
}

export function bridgeModule(opts: BridgeModuleOptions): FeatureModule {
  return {
    id: 'bridge',
    setup(ctx) {
      let bridge: BridgeServer | null = null;
      return {
        settings: ['bridge.port'],
        connections: () => bridge?.connectionCounts() ?? { active: 0, total: 0 },
        runtimeInfo: () => (bridge ? { bridgePort: bridge.port, bridgeToken: opts.token } : {}),
        async start() {
          bridge = await BridgeServer.listen({
            port: ctx.settings.values.bridge.port,
            token: opts.token,
            rendererDir: opts.rendererDir,
            router: ctx.router,
            events: ctx.events,
            logger: ctx.logger,
          });
          ctx.provide('bridge', bridge);
        },
        stopAccepting: () => bridge?.stopAccepting(),
        shutdown: () => bridge?.close(),
      };
    },
  };
}
