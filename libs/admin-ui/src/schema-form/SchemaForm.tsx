import type {
  ArraySchema,
  ConfigSchema,
  ObjectSchema,
  StringSchema,
} from '@audience-sync/exporter-contract';
import type { ReactNode } from 'react';
import {
  CheckboxField,
  RadioGroup,
  SelectField,
  TextAreaField,
  TextField,
} from '../components/form';
import { fieldId, normalizePath } from '../forms/errors';
import {
  activeVariant,
  discriminatorChoices,
  discriminatorOf,
  isObjectSchema,
  isSecret,
  titleOf,
  visibleProperties,
  type HidePredicate,
  type Values,
} from './schema';

export interface CustomerFieldOption {
  name: string;
  type: string;
}

export interface SchemaFormProps {
  schema: ObjectSchema;
  value: Values;
  onChange: (value: Values) => void;
  /** Path of the value in the request body (`config`); errors are keyed by full paths. */
  path: string;
  errors: Record<string, string>;
  /** Secret paths relative to the value (`auth.clientSecret`) that the server already holds. */
  secretsSet?: Set<string>;
  customerFields?: CustomerFieldOption[];
  /** Called when a control loses focus (check as typed). */
  onBlurField?: (path: string) => void;
  /** Properties the form must not ask for (values set by the server, e.g. by sign-in). */
  hide?: HidePredicate;
  /** Extra content shown under an object (by its path), e.g. a sign-in panel under `config.auth`. */
  renderAfter?: (path: string, value: Values, schema: ObjectSchema) => ReactNode;
  /** The path of the whole value (set by SchemaForm; nested parts keep it). */
  basePath?: string;
}

/**
 * A form for any destination type's configuration schema: a new plugin gets its form without UI
 * code. Objects become fieldsets, `oneOf` variants a choice, enums selects, `x-secret` strings
 * password fields (empty keeps the stored secret), `x-customer-fields` arrays a choice of the
 * unified customer's fields.
 */
export function SchemaForm(props: SchemaFormProps) {
  return (
    <ObjectFields
      {...props}
      basePath={props.path}
      schema={props.schema}
      value={props.value}
      path={props.path}
    />
  );
}

function ObjectFields(
  props: SchemaFormProps & { schema: ObjectSchema; value: Values; path: string },
) {
  const { schema, value, path } = props;
  const disc = discriminatorOf(schema);
  const variant = activeVariant(schema, value);
  const set = (name: string, child: unknown) => {
    props.onChange({ ...value, [name]: child });
  };
  return (
    <>
      {disc &&
      !props.hide?.(`${path}.${disc}`, schema.properties[disc] ?? { type: 'string' }, true) ? (
        <RadioGroup
          path={`${path}.${disc}`}
          legend={titleOf(disc, schema.properties[disc] ?? { type: 'string' })}
          value={typeof value[disc] === 'string' ? value[disc] : ''}
          options={discriminatorChoices(schema, disc)}
          error={props.errors[normalizePath(`${path}.${disc}`)]}
          hint={
            variant?.description
              ? undefined
              : (schema.properties[disc] as ConfigSchema | undefined)?.description
          }
          onChange={(choice) => {
            props.onChange({ ...value, [disc]: choice });
          }}
        />
      ) : null}
      {visibleProperties(schema, value)
        .filter((entry) => !props.hide?.(`${path}.${entry.name}`, entry.schema, entry.required))
        .map((entry) => (
          <PropertyField
            key={entry.name}
            {...props}
            name={entry.name}
            child={entry.schema}
            required={entry.required}
            childValue={value[entry.name]}
            childPath={`${path}.${entry.name}`}
            setChild={(v) => {
              set(entry.name, v);
            }}
          />
        ))}
      {props.renderAfter?.(path, value, schema)}
    </>
  );
}

interface PropertyFieldProps extends SchemaFormProps {
  name: string;
  child: ConfigSchema;
  required: boolean;
  childValue: unknown;
  childPath: string;
  setChild: (value: unknown) => void;
}

function PropertyField(props: PropertyFieldProps) {
  const { child, childPath, name } = props;
  const error = props.errors[normalizePath(childPath)];
  const label = titleOf(name, child);
  const hint = child.description;
  const blur = () => props.onBlurField?.(childPath);

  if (isObjectSchema(child)) {
    const nested = (
      props.childValue && typeof props.childValue === 'object' ? props.childValue : {}
    ) as Values;
    return (
      <fieldset id={fieldId(childPath)}>
        <legend>{label}</legend>
        {hint ? <div className="hint">{hint}</div> : null}
        {error ? (
          <div className="field-error" role="alert">
            {error}
          </div>
        ) : null}
        <ObjectFields
          {...props}
          schema={child}
          value={nested}
          path={childPath}
          onChange={(v) => {
            props.setChild(v);
          }}
        />
      </fieldset>
    );
  }
  if (!('type' in child) || child.type === undefined) return null;
  switch (child.type) {
    case 'string':
      return (
        <StringField
          {...props}
          stringSchema={child as StringSchema}
          label={label}
          hint={hint}
          error={error}
          onBlur={blur}
        />
      );
    case 'number':
    case 'integer':
      return (
        <TextField
          path={childPath}
          label={label}
          hint={hint}
          error={error}
          required={props.required}
          type="number"
          inputMode={child.type === 'integer' ? 'numeric' : 'decimal'}
          value={typeof props.childValue === 'number' ? String(props.childValue) : ''}
          onChange={(text) => {
            props.setChild(text === '' ? undefined : Number(text));
          }}
          onBlur={blur}
        />
      );
    case 'boolean':
      return (
        <CheckboxField
          path={childPath}
          label={label}
          hint={hint}
          error={error}
          checked={props.childValue === true}
          onChange={(checked) => {
            props.setChild(checked);
          }}
        />
      );
    case 'array':
      return <ArrayField {...props} arraySchema={child} label={label} hint={hint} error={error} />;
  }
}

function StringField(
  props: PropertyFieldProps & {
    stringSchema: StringSchema;
    label: string;
    hint?: string;
    error?: string;
    onBlur: () => void;
  },
) {
  const { stringSchema: schema, childPath } = props;
  const value = typeof props.childValue === 'string' ? props.childValue : '';
  if (schema.enum) {
    const labels = schema['x-enum-labels'] ?? [];
    return (
      <SelectField
        path={childPath}
        label={props.label}
        hint={props.hint}
        error={props.error}
        required={props.required}
        value={value}
        placeholder={props.required && schema.default ? undefined : 'Choose…'}
        options={schema.enum.map((v, i) => ({ value: v, label: labels[i] ?? v }))}
        onChange={(v) => {
          props.setChild(v);
        }}
      />
    );
  }
  if (isSecret(schema)) {
    const relative = childPath.slice((props.basePath ?? props.path).length + 1);
    const stored = props.secretsSet?.has(relative) ?? false;
    return (
      <TextField
        path={childPath}
        label={props.label}
        type="password"
        autoComplete="new-password"
        hint={
          <>
            {props.hint ? <>{props.hint} </> : null}
            {stored
              ? 'A value is stored (it is never shown). Leave empty to keep it, or type a new one to replace it.'
              : 'Stored encrypted; never shown again once saved.'}
          </>
        }
        error={props.error}
        required={props.required && !stored}
        value={value}
        onChange={(v) => {
          props.setChild(v);
        }}
        onBlur={props.onBlur}
      />
    );
  }
  return (
    <TextField
      path={childPath}
      label={props.label}
      hint={props.hint}
      error={props.error}
      required={props.required}
      type={schema.format === 'uri' ? 'url' : schema.format === 'email' ? 'email' : 'text'}
      inputMode={schema.format === 'uri' ? 'url' : undefined}
      placeholder={schema['x-placeholder']}
      value={value}
      onChange={(v) => {
        props.setChild(v);
      }}
      onBlur={props.onBlur}
    />
  );
}

function ArrayField(
  props: PropertyFieldProps & {
    arraySchema: ArraySchema;
    label: string;
    hint?: string;
    error?: string;
  },
) {
  const { arraySchema: schema, childPath } = props;
  const values = Array.isArray(props.childValue) ? (props.childValue as string[]) : [];
  if (schema['x-customer-fields'] || schema.items.enum) {
    const choices = schema['x-customer-fields']
      ? (props.customerFields ?? []).map((f) => ({ value: f.name, label: `${f.name} (${f.type})` }))
      : (schema.items.enum ?? []).map((v, i) => ({
          value: v,
          label: schema.items['x-enum-labels']?.[i] ?? v,
        }));
    const toggle = (name: string, on: boolean) => {
      const next = on ? [...values, name] : values.filter((v) => v !== name);
      // Keep the order of the choices so the result reads like the list.
      props.setChild(choices.map((c) => c.value).filter((v) => next.includes(v)));
    };
    return (
      <fieldset id={fieldId(childPath)} className={props.error ? 'field-invalid' : undefined}>
        <legend>
          {props.label}
          {props.required ? <span className="required"> (required)</span> : null}
        </legend>
        {props.hint ? <div className="hint">{props.hint}</div> : null}
        {props.error ? (
          <div className="field-error" role="alert">
            {props.error}
          </div>
        ) : null}
        {choices.length === 0 ? (
          <p className="muted">
            No customer fields yet: create a source with a field mapping first.
          </p>
        ) : (
          <div className="checks">
            {choices.map((choice) => (
              <CheckboxField
                key={choice.value}
                path={`${childPath}.${choice.value}`}
                label={choice.label}
                checked={values.includes(choice.value)}
                onChange={(on) => {
                  toggle(choice.value, on);
                }}
              />
            ))}
          </div>
        )}
      </fieldset>
    );
  }
  return (
    <TextAreaField
      path={childPath}
      label={props.label}
      hint={<>{props.hint ? <>{props.hint} </> : null}One value per line.</>}
      error={props.error}
      required={props.required}
      value={values.join('\n')}
      onChange={(text) => {
        props.setChild(
          text
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean),
        );
      }}
    />
  );
}
