// Feature module: the model layer (Anthropic client, cost ledger and budgets, API key storage) and its first agent,
// Explain. Reports `capabilities.llm`; reads the `llm.*` settings.
import fs from 'node:fs/promises';
import { BINARY_SNIFF_BYTES, hasBinaryExtension, looksBinary } from '../fs/language';
import type { FeatureModule } from '../modules/feature-module';
import { DREYFUS_STAGES, type DreyfusStage } from './agents/kit';
import type { ExplainSource } from './explain-service';
import { LlmLayer } from './llm-layer';
import { HeadlessSecretStore, SafeStorageSecretStore, type SafeStorageAdapter } from './secret-store';

declare module '../modules/feature-module' {
  interface ServiceMap {
    llm: LlmLayer;
  }
}

export interface LlmModuleOptions {
  /** Electron's safeStorage (from src/main/electron/safe-storage.ts); without it keys cannot be stored (headless). */
  safeStorage?: SafeStorageAdapter;
}

function isStage(s: string): s is DreyfusStage {
  return (DREYFUS_STAGES as readonly string[]).includes(s);
}

export function llmModule(opts: LlmModuleOptions = {}): FeatureModule {
  return {
    id: 'llm',
    setup(ctx) {
      const workspace = ctx.get('workspace');
      const source: ExplainSource = {
        async read(path) {
          const open = workspace.getBuffer(path);
          if (open) return { binary: false, text: open.content };
          const { abs, rel } = workspace.resolve(path);
          const bytes = await fs.readFile(abs);
          const binary = hasBinaryExtension(rel) || looksBinary(bytes.subarray(0, BINARY_SNIFF_BYTES));
          return binary ? { binary } : { binary, text: bytes.toString('utf8') };
        },
      };
      const activeSessionId = (): number | null => ctx.find('sessions')?.getActive()?.id ?? null;
      const layer = new LlmLayer({
        db: ctx.db,
        settings: () => ctx.settings.values.llm,
        env: ctx.env,
        secretStore: opts.safeStorage
          ? new SafeStorageSecretStore(opts.safeStorage, ctx.dataDir)
          : new HeadlessSecretStore(),
        logger: ctx.logger,
        explain: {
          source,
          activePhase: () => {
            const id = activeSessionId();
            const p = id === null ? null : (ctx.find('sessionState')?.activePhase(id) ?? null);
            return p ? { number: p.number, title: p.title, description: p.description } : null;
          },
          assessments: () =>
            (ctx.find('sessionState')?.dreyfus() ?? [])
              .filter((d) => isStage(d.stage))
              .map((d) => ({ skillArea: d.skill_area, stage: d.stage as DreyfusStage })),
          sessionId: activeSessionId,
          record: (type, data) => {
            const id = activeSessionId();
            if (id !== null) ctx.find('recordFor')?.(id, type, data);
          },
        },
        onCapabilityChange: () => ctx.capabilitiesChanged(),
        onBudgetWarning: (w) => ctx.events.emit('llm:budget_warning', w),
      });
      ctx.provide('llm', layer);
      return {
        handlers: layer.handlers(),
        settings: [
          'llm.baseUrl',
          'llm.models',
          'llm.pricing',
          'llm.structuredOutput',
          'llm.timeoutMs',
          'llm.budgetDailyUsd',
          'llm.budgetMonthlyUsd',
        ],
        capabilities: () => ({ llm: layer.capability }),
        health: () => ({ llm: { state: layer.capability } }),
        shutdown: () => layer.dispose(),
      };
    },
  };
}
