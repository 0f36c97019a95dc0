import type { ConfigSchema, ObjectSchema } from '@audience-sync/exporter-contract';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { errorText } from '../../api/errors';
import { useCan } from '../../auth/role';
import { Notice } from '../../components/common';
import { CheckboxField } from '../../components/form';
import { saveAppRegistration, useAppRegistration } from '../../hooks/useAppRegistration';
import { discriminatorOf, isObjectSchema, type Values } from '../../schema-form/schema';

/** The object of the schema whose sign-in can use the installation's app registration. */
function oneClickPart(schema: ObjectSchema) {
  for (const [name, child] of Object.entries(schema.properties)) {
    if (isObjectSchema(child) && child['x-one-click']) {
      const disc = discriminatorOf(child);
      if (disc) return { name, disc, variant: child['x-one-click'] };
    }
  }
  return null;
}

const ID_NAMES = ['clientId', 'tenantId', 'clientSecret', 'authorityHost'] as const;

/** Whether a saved configuration names ids of its own (then it keeps showing them). */
function hasOwnIds(part: Values | undefined): boolean {
  return ID_NAMES.some((name) => typeof part?.[name] === 'string' && part[name] !== '');
}

/**
 * One-click sign-in in the set-up flow: with the installation's app registration set, the id
 * fields (`x-app-registration`) are hidden behind "Use a different app registration" and a new
 * destination takes the sign-in that needs none. Without one, an admin may save the ids typed
 * here as the installation's registration.
 */
export function useOneClick(
  schema: ObjectSchema,
  isNew: boolean,
  config: Values,
  setConfig: (update: (current: Values) => Values) => void,
) {
  const registration = useAppRegistration();
  const queryClient = useQueryClient();
  const isAdmin = useCan('admin');
  const part = oneClickPart(schema);
  const [ownIds, setOwnIds] = useState(() =>
    hasOwnIds(part ? (config[part.name] as Values) : undefined),
  );
  const [offerSave, setOfferSave] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const configured = registration.data?.configured === true;
  const active = part !== null && configured && !ownIds;

  // A new destination starts with the sign-in that needs no ids.
  useEffect(() => {
    if (!active || !isNew) return;
    setConfig((current) => {
      const value = (current[part.name] as Values | undefined) ?? {};
      if (value[part.disc] === part.variant) return current;
      return { ...current, [part.name]: { ...value, [part.disc]: part.variant } };
    });
  }, [active, isNew, part?.name, part?.disc, part?.variant]); // eslint-disable-line react-hooks/exhaustive-deps

  const hides = (schemaOf: ConfigSchema) => active && schemaOf['x-app-registration'] === true;

  const chooseOwnIds = (on: boolean) => {
    setOwnIds(on);
    if (!on && part) {
      // Back to the installation's: drop the ids typed here.
      setConfig((current) => {
        const value = Object.fromEntries(
          Object.entries((current[part.name] as Values | undefined) ?? {}).filter(
            ([name]) => !(ID_NAMES as readonly string[]).includes(name),
          ),
        );
        return { ...current, [part.name]: { ...value, [part.disc]: part.variant } };
      });
    }
  };

  const disclosure =
    part && configured ? (
      <div className="field">
        <button
          type="button"
          className="link-button"
          aria-expanded={ownIds}
          onClick={() => {
            chooseOwnIds(!ownIds);
          }}
        >
          {ownIds ? 'Use the app registration in Settings' : 'Use a different app registration'}
        </button>
        <div className="hint">
          {ownIds
            ? 'This destination signs in with the ids below.'
            : 'Signs in with the app registration in Settings: no ids needed.'}
        </div>
      </div>
    ) : null;

  const offer =
    part && registration.data && !configured && isAdmin ? (
      <>
        <CheckboxField
          path="saveAppRegistration"
          label="Use these ids for every destination and source (saves them as the app registration in Settings)"
          checked={offerSave}
          onChange={setOfferSave}
        />
        {saveError ? <Notice kind="warn">{saveError}</Notice> : null}
      </>
    ) : null;

  /** After the connection was saved: stores its ids as the installation's, when asked to. */
  const afterSave = async (): Promise<void> => {
    if (!offerSave || !part) return;
    const value = (config[part.name] as Values | undefined) ?? {};
    const text = (name: string) =>
      typeof value[name] === 'string' && value[name] !== '' ? value[name] : null;
    const clientId = text('clientId');
    if (!clientId) return;
    try {
      await saveAppRegistration({
        clientId,
        tenantId: text('tenantId'),
        authorityHost: text('authorityHost'),
        ...(text('clientSecret') ? { clientSecret: text('clientSecret') } : {}),
      });
      setOfferSave(false);
      setSaveError(null);
      // The ids stay on screen: this destination keeps them as its own.
      setOwnIds(true);
      await queryClient.invalidateQueries({ queryKey: ['app-registration'] });
    } catch (error) {
      setSaveError(`The app registration was not saved: ${errorText(error)}`);
    }
  };

  return { hides, disclosure, offer, afterSave };
}
