import type { ReactNode } from 'react';
import { errorText } from '../api/errors';

export function PageHeader({
  title,
  actions,
  children,
}: {
  title: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {children ? <div className="page-intro">{children}</div> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

export function Loading({ what }: { what?: string }) {
  return (
    <p className="loading" role="status">
      Loading{what ? ` ${what}` : ''}…
    </p>
  );
}

/** An error of a whole page or section (a failed load), in words. */
export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  return (
    <div className="error-box" role="alert">
      {title ? <strong>{title}: </strong> : null}
      {errorText(error)}
    </div>
  );
}

export function Notice({ children, kind }: { children: ReactNode; kind?: 'ok' | 'warn' | 'info' }) {
  return (
    <div className={`notice notice-${kind ?? 'info'}`} role="status">
      {children}
    </div>
  );
}

const STATUS_CLASS: Record<string, string> = {
  succeeded: 'ok',
  'signed-in': 'ok',
  ok: 'ok',
  running: 'busy',
  queued: 'busy',
  pending: 'busy',
  partial: 'warn',
  held: 'warn',
  ready: 'ok',
  skipped: 'muted',
  canceled: 'muted',
  disabled: 'muted',
  failed: 'bad',
  expired: 'bad',
};

export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <span className="badge badge-muted">never run</span>;
  return <span className={`badge badge-${STATUS_CLASS[status] ?? 'muted'}`}>{status}</span>;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A time as the reader's local date and time, with the exact ISO value on hover. */
export function DateTime({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="muted">—</span>;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <span>{value}</span>;
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()}>
      {dateFormat.format(date)}
    </time>
  );
}

const numberFormat = new Intl.NumberFormat();

export function Num({ value }: { value: number | null | undefined }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  return <>{numberFormat.format(value)}</>;
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** Work done of total, as a labelled progress bar with its figures in words ("0 of 3 segments"). */
export function ProgressBar({
  value,
  max,
  label,
  unit,
}: {
  value: number;
  max: number | null | undefined;
  label: string;
  /** What is counted, in the plural ("segments", "members"). */
  unit?: string;
}) {
  const known = max !== null && max !== undefined && max > 0;
  const text = `${formatNumber(value)}${known ? ` of ${formatNumber(max)}` : ''}${unit ? ` ${unit}` : ''}`;
  return (
    <div className="progress">
      <progress
        value={known ? Math.min(value, max) : undefined}
        max={known ? max : undefined}
        aria-label={label}
        aria-valuetext={text}
      />
      <span className="progress-text">{text}</span>
    </div>
  );
}

/** What started a run (an export or a refresh), in words. */
export function triggerText(trigger: string): string {
  switch (trigger) {
    case 'ui':
      return 'Export now (you)';
    case 'api':
      return 'API';
    case 'refresh':
      return 'Refresh';
    case 'schedule':
      return 'Schedule';
    case 'cli':
      return 'Command line';
    default:
      return trigger;
  }
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}
