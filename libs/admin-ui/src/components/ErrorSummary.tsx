import { useEffect, useRef } from 'react';
import { fieldId, findControl, hasErrors, type FormErrors } from '../forms/errors';

/**
 * "There is a problem" box above a form: every message, each field's one linking to its control.
 * It takes the focus when it appears so keyboard and screen-reader users land on it.
 */
export function ErrorSummary({ errors, title }: { errors: FormErrors; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const show = hasErrors(errors);
  useEffect(() => {
    if (show) ref.current?.focus();
  }, [show, errors]);
  if (!show) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref}>
      <h2>{title ?? 'There is a problem'}</h2>
      <ul>
        {errors.general.map((message, i) => (
          <li key={`g${i}`}>{message}</li>
        ))}
        {Object.entries(errors.fields).map(([path, message]) => (
          <li key={path}>
            <a
              href={`#${fieldId(path)}`}
              onClick={(event) => {
                const target = findControl(path);
                if (target) {
                  event.preventDefault();
                  // An anchor may name the control it stands for (`data-control`).
                  const named = target.dataset.control
                    ? document.getElementById(target.dataset.control)
                    : null;
                  const focusable =
                    named ??
                    (target.matches('input,select,textarea,button')
                      ? target
                      : (target.querySelector<HTMLElement>('input,select,textarea,button') ??
                        target));
                  focusable.focus();
                  focusable.scrollIntoView({ block: 'center' });
                }
              }}
            >
              {labelOf(path) ?? <code>{path}</code>}: {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The visible name of the control a path belongs to ("Server address"), read from the page the
 * summary sits on; undefined when there is none (the path is shown instead).
 */
function labelOf(path: string): string | undefined {
  const target = findControl(path);
  if (!target) return undefined;
  const control = target.dataset.control ? document.getElementById(target.dataset.control) : target;
  if (!control) return undefined;
  const labelled = control as HTMLElement & { labels?: NodeListOf<HTMLLabelElement> | null };
  const text =
    labelled.labels?.[0]?.textContent ??
    control.getAttribute('aria-label') ??
    control.querySelector('legend')?.textContent;
  return text ? text.replace(/\s*\(required\)\s*$/, '').trim() || undefined : undefined;
}
