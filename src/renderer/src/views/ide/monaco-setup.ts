// Monaco from the npm package, bundled by Vite with its editor worker: no CDN, no AMD loader. Only the core editor,
// the hover (coaching highlights carry hover text) and the Monarch syntax colouring for every language are loaded;
// language services (TS, JSON workers) are not.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution';
import 'monaco-editor/basic-languages/monaco.contribution';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

export { monaco };
