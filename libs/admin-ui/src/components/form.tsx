import { useId, type ReactNode } from 'react';
import { fieldId } from '../forms/errors';

interface FieldShellProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
  required?: boolean;
}

/** Label, hint and error around one control; the control is described by the hint and error. */
export function FieldShell({ id, label, hint, error, children, required }: FieldShellProps) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="required"> (required)</span> : null}
      </label>
      {hint ? (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <div className="field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      ) : null}
      {children}
    </div>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

interface TextFieldProps {
  path: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  type?: 'text' | 'url' | 'password' | 'email' | 'number' | 'search' | 'datetime-local';
  placeholder?: string;
  autoComplete?: string;
  inputMode?: 'text' | 'url' | 'numeric' | 'decimal' | 'email';
  disabled?: boolean;
  className?: string;
  /** id of a <datalist> of suggestions. */
  list?: string;
}

export function TextField(props: TextFieldProps) {
  const id = fieldId(props.path);
  return (
    <FieldShell
      id={id}
      label={props.label}
      hint={props.hint}
      error={props.error}
      required={props.required}
    >
      <input
        id={id}
        name={props.path}
        className={props.className}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete ?? 'off'}
        inputMode={props.inputMode}
        list={props.list}
        required={props.required}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        onChange={(event) => {
          props.onChange(event.target.value);
        }}
        onBlur={props.onBlur}
      />
    </FieldShell>
  );
}

interface TextAreaFieldProps {
  path: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  rows?: number;
}

export function TextAreaField(props: TextAreaFieldProps) {
  const id = fieldId(props.path);
  return (
    <FieldShell
      id={id}
      label={props.label}
      hint={props.hint}
      error={props.error}
      required={props.required}
    >
      <textarea
        id={id}
        name={props.path}
        value={props.value}
        rows={props.rows ?? 3}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        onChange={(event) => {
          props.onChange(event.target.value);
        }}
      />
    </FieldShell>
  );
}

export interface Option {
  value: string;
  label: string;
}

interface SelectFieldProps {
  path: string;
  label: ReactNode;
  value: string;
  options: Option[];
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  /** Text of an empty first choice; omit to have none. */
  placeholder?: string;
  disabled?: boolean;
}

export function SelectField(props: SelectFieldProps) {
  const id = fieldId(props.path);
  return (
    <FieldShell
      id={id}
      label={props.label}
      hint={props.hint}
      error={props.error}
      required={props.required}
    >
      <select
        id={id}
        name={props.path}
        value={props.value}
        required={props.required}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        onChange={(event) => {
          props.onChange(event.target.value);
        }}
      >
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

interface CheckboxFieldProps {
  path: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: ReactNode;
  error?: string;
  disabled?: boolean;
}

export function CheckboxField(props: CheckboxFieldProps) {
  const id = fieldId(props.path);
  return (
    <div className={props.error ? 'field field-check field-invalid' : 'field field-check'}>
      <input
        id={id}
        name={props.path}
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        onChange={(event) => {
          props.onChange(event.target.checked);
        }}
      />
      <label htmlFor={id}>{props.label}</label>
      {props.hint ? (
        <div className="hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      ) : null}
      {props.error ? (
        <div className="field-error" id={`${id}-error`} role="alert">
          {props.error}
        </div>
      ) : null}
    </div>
  );
}

interface RadioGroupProps {
  path: string;
  legend: ReactNode;
  value: string;
  options: (Option & { hint?: string })[];
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
}

export function RadioGroup(props: RadioGroupProps) {
  const base = fieldId(props.path);
  const name = useId();
  return (
    <fieldset
      className={props.error ? 'field radio-group field-invalid' : 'field radio-group'}
      id={base}
      aria-describedby={describedBy(base, props.hint, props.error)}
    >
      <legend>{props.legend}</legend>
      {props.hint ? (
        <div className="hint" id={`${base}-hint`}>
          {props.hint}
        </div>
      ) : null}
      {props.error ? (
        <div className="field-error" id={`${base}-error`} role="alert">
          {props.error}
        </div>
      ) : null}
      {props.options.map((option) => {
        const id = `${base}-${option.value.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
        return (
          <div className="radio" key={option.value}>
            <input
              type="radio"
              id={id}
              name={name}
              value={option.value}
              checked={props.value === option.value}
              onChange={() => {
                props.onChange(option.value);
              }}
            />
            <label htmlFor={id}>
              {option.label}
              {option.hint ? <span className="hint"> — {option.hint}</span> : null}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}
