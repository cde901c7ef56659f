// A handful of leaf settings; env/flag overrides are read-only. Saves a nested patch via `settings:update`.
import { useState, type SubmitEvent } from 'react';
import type { PaigeClient } from '../../../shared/ipc/client';
import type { SettingKey, SettingsView } from '../../../shared/settings/schema';
import type { Remote } from '../hooks/use-remote';
import { toErrorInfo, type ErrorInfo } from '../lib/error-info';
import {
  visibleFields,
  buildSettingsPatch,
  errorSummary,
  fieldHelp,
  currentDraft,
  overrideLabel,
  overrideSource,
  type DraftValue,
  type SettingField,
} from '../lib/settings-form';
import { AiSettingsSection } from './AiSettingsSection';
import { ErrorText } from './ErrorText';
import { MemoryStatusLine } from './MemoryStatusLine';

type Drafts = Partial<Record<SettingKey, DraftValue>>;

interface Props {
  readonly client: PaigeClient;
  readonly settings: Remote<SettingsView>;
  readonly connected: boolean;
}

function withoutKey<V>(record: Partial<Record<SettingKey, V>>, key: SettingKey): Partial<Record<SettingKey, V>> {
  const copy: Partial<Record<SettingKey, V>> = {};
  for (const [k, v] of Object.entries(record) as [SettingKey, V][]) {
    if (k !== key) copy[k] = v;
  }
  return copy;
}

function domId(key: SettingKey): string {
  return `setting-${key.replace(/\./g, '-')}`;
}

export function SettingsPanel({ client, settings, connected }: Props) {
  const [drafts, setDrafts] = useState<Drafts>({});
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<SettingKey, string>>>({});
  const [saveError, setSaveError] = useState<ErrorInfo | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const view = settings.data;

  const dirtyKeys = Object.keys(drafts) as SettingKey[];
  const summary = errorSummary(fieldErrors);

  function change(field: SettingField, value: DraftValue): void {
    if (!view) return;
    setSaved(false);
    setFieldErrors((prev) => withoutKey(prev, field.key));
    setDrafts((prev) =>
      value === currentDraft(field, view) ? withoutKey(prev, field.key) : { ...prev, [field.key]: value },
    );
  }

  async function save(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (!view || dirtyKeys.length === 0) return;
    setSaveError(null);
    setSaved(false);
    const editable = visibleFields(view).filter((f) => overrideSource(view, f.key) === null);
    const built = buildSettingsPatch(editable, drafts);
    if (!built.ok) {
      setFieldErrors(built.errors);
      return;
    }
    setSaving(true);
    try {
      const next = await client.invoke('settings:update', { patch: built.patch });
      settings.set(next);
      setDrafts({});
      setFieldErrors({});
      setSaved(true);
    } catch (err) {
      setSaveError(toErrorInfo(err));
    } finally {
      setSaving(false);
    }
  }

  function row(field: SettingField) {
    if (!view) return null;
    return (
      <SettingRow
        key={field.key}
        field={field}
        value={drafts[field.key] ?? currentDraft(field, view)}
        dirty={drafts[field.key] !== undefined}
        override={overrideSource(view, field.key)}
        restartPending={view.restartRequired.includes(field.key)}
        error={fieldErrors[field.key]}
        onChange={(value) => {
          change(field, value);
        }}
      />
    );
  }

  return (
    <section className="card settings" data-testid="settings-panel" aria-labelledby="settings-title">
      <header className="card-header">
        <h2 id="settings-title">Settings</h2>
        {view && (
          <span className="muted" data-testid="api-key-status">
            API key: {view.apiKey.present ? `present (${view.apiKey.source})` : 'not set'}
          </span>
        )}
      </header>
      {!view && !settings.error && <p className="muted">Loading…</p>}
      {view && (
        <form
          onSubmit={(e) => {
            void save(e);
          }}
        >
          <div className="settings-grid">
            {visibleFields(view)
              .filter((f) => !f.section)
              .map(row)}
          </div>
          {/* Memory's live state shows where the memory module is present (it reads memory.mode). */}
          {visibleFields(view).some((f) => f.key === 'memory.mode') ? <MemoryStatusLine /> : null}
          {/* The AI section shows when the model layer is present: it is the one reading the llm.* settings. */}
          {visibleFields(view).some((f) => f.section === 'ai') ? (
            <AiSettingsSection onKeyChanged={settings.reload}>
              {visibleFields(view)
                .filter((f) => f.section === 'ai')
                .map(row)}
            </AiSettingsSection>
          ) : null}
          <div className="form-actions">
            <button
              type="submit"
              className="button-primary"
              disabled={!connected || saving || dirtyKeys.length === 0}
              data-testid="settings-save"
            >
              {saving ? 'Saving…' : 'Save'}
            </button>
            <button
              type="button"
              disabled={saving || dirtyKeys.length === 0}
              onClick={() => {
                setDrafts({});
                setFieldErrors({});
                setSaveError(null);
              }}
            >
              Discard changes
            </button>
            {saved && (
              <span className="ok-text" role="status" data-testid="settings-saved">
                Saved
              </span>
            )}
            {/* The failing field may be a screen away from Save: say here which settings need fixing. */}
            {summary && (
              <span className="inline-error" role="alert" data-testid="settings-error-summary">
                {summary}
              </span>
            )}
          </div>
          {saveError && <ErrorText error={saveError} testId="settings-error" />}
          {view.restartRequired.length > 0 && (
            <p className="notice" data-testid="settings-restart-required">
              Restart Paige to apply: {view.restartRequired.join(', ')}
            </p>
          )}
        </form>
      )}
      {settings.error && <ErrorText error={settings.error} testId="settings-load-error" />}
    </section>
  );
}

interface RowProps {
  readonly field: SettingField;
  readonly value: DraftValue;
  readonly dirty: boolean;
  readonly override: 'env' | 'flag' | null;
  readonly restartPending: boolean;
  readonly error: string | undefined;
  readonly onChange: (value: DraftValue) => void;
}

function SettingRow({ field, value, dirty, override, restartPending, error, onChange }: RowProps) {
  const id = domId(field.key);
  const readOnly = override !== null;
  const help = fieldHelp(field, value);
  const describedBy = [override ? `${id}-override` : null, help ? `${id}-help` : null, error ? `${id}-error` : null]
    .filter((s): s is string => s !== null)
    .join(' ');
  const common = {
    id,
    disabled: readOnly,
    'aria-describedby': describedBy === '' ? undefined : describedBy,
    'aria-invalid': error ? true : undefined,
    'data-testid': `setting-${field.key}`,
  };

  let control;
  switch (field.kind) {
    case 'bool':
      control = (
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={(e) => {
            onChange(e.target.checked);
          }}
        />
      );
      break;
    case 'enum':
      control = (
        <select
          {...common}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => {
            onChange(e.target.value);
          }}
        >
          {(field.options ?? []).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
      break;
    case 'models':
      control = (
        <textarea
          {...common}
          rows={3}
          spellCheck={false}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => {
            onChange(e.target.value);
          }}
        />
      );
      break;
    case 'int':
    case 'usd':
    case 'number':
    case 'string':
      control = (
        <input
          {...common}
          type="text"
          inputMode={
            field.kind === 'int' ? 'numeric' : field.kind === 'usd' || field.kind === 'number' ? 'decimal' : undefined
          }
          spellCheck={false}
          autoComplete="off"
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => {
            onChange(e.target.value);
          }}
        />
      );
      break;
  }

  return (
    <div className={`setting-row${dirty ? ' is-dirty' : ''}${readOnly ? ' is-readonly' : ''}`}>
      <label htmlFor={id}>
        {field.label} <code className="setting-key">{field.key}</code>
      </label>
      <div className="setting-control">
        {control}
        {override && (
          <span className="badge" id={`${id}-override`} data-testid={`setting-override-${field.key}`}>
            {overrideLabel(override)}
          </span>
        )}
        {restartPending && <span className="badge badge-warn">restart required</span>}
      </div>
      {help && (
        <p className="setting-help" id={`${id}-help`} data-testid={`setting-help-${field.key}`}>
          {help}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert" data-testid={`setting-error-${field.key}`}>
          {error}
        </p>
      )}
    </div>
  );
}
