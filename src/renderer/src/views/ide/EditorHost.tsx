// Mounts one Monaco editor for the IDE; the controller swaps models per tab.
import { useEffect, useRef } from 'react';
import type { IdeController } from './ide-controller';
import { monaco } from './monaco-setup';

export function EditorHost({ controller }: { controller: IdeController }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const editor = monaco.editor.create(host.current, {
      model: null,
      theme: 'vs-dark',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
    });
    controller.attachEditor(editor, monaco);
    return () => {
      controller.detachEditor();
      editor.dispose();
    };
  }, [controller]);
  return <div className="editor-host" ref={host} data-testid="monaco-host" />;
}
