import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { del, get, post } from '../../api/client';
import type { ApiToken, CreatedApiToken, Role } from '../../api/types';
import {
  DateTime,
  EmptyState,
  ErrorBox,
  Loading,
  Notice,
  PageHeader,
} from '../../components/common';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField, TextField } from '../../components/form';
import { NO_ERRORS, toFormErrors, type FormErrors } from '../../forms/errors';
import { TableWrap } from '../../components/TableWrap';

const ROLE_OPTIONS: { value: Role; label: string }[] = [
  { value: 'viewer', label: 'Viewer: reads everything' },
  { value: 'operator', label: 'Operator: starts, cancels and approves runs' },
  { value: 'editor', label: 'Editor: changes sources, rules, segments, destinations, schedule' },
  { value: 'admin', label: 'Admin: everything, tokens and the audit log too' },
];

/** Named API tokens (admins only): create one (shown once), list them, revoke. */
export function TokensPage() {
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => get<ApiToken[]>('/api/tokens') });
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => del(`/api/tokens/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
  return (
    <>
      <PageHeader title="API tokens">
        Tokens for scripts and people, each with a role. A token is shown once, when it is created;
        only its hash is kept. A revoked or expired token is refused at once.
      </PageHeader>
      {created ? (
        <Notice kind="ok">
          <p>
            Token <strong>{created.name}</strong> created. Copy it now: it is not shown again.
          </p>
          <code className="token-once" data-testid="new-token">
            {created.token}
          </code>{' '}
          <button
            type="button"
            className="small"
            onClick={() => {
              setCreated(null);
            }}
          >
            Done
          </button>
        </Notice>
      ) : null}
      <CreateTokenForm onCreated={setCreated} />
      <h2>Tokens</h2>
      {tokens.isPending ? <Loading what="the tokens" /> : null}
      {tokens.error ? <ErrorBox error={tokens.error} /> : null}
      {revoke.error ? <ErrorBox error={revoke.error} title="Revoke" /> : null}
      {tokens.data && tokens.data.length === 0 ? (
        <EmptyState>No named tokens yet.</EmptyState>
      ) : null}
      {tokens.data && tokens.data.length > 0 ? (
        <TableWrap>
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{t.role}</td>
                  <td>
                    <DateTime value={t.createdAt} />
                  </td>
                  <td>
                    {t.expiresAt ? <DateTime value={t.expiresAt} /> : 'never'}
                    {t.expired ? ' (expired)' : ''}
                  </td>
                  <td>{t.lastUsedAt ? <DateTime value={t.lastUsedAt} /> : 'never'}</td>
                  <td>
                    <button
                      type="button"
                      className="small danger"
                      disabled={revoke.isPending}
                      onClick={() => {
                        if (
                          window.confirm(`Revoke the token "${t.name}"? It stops working at once.`)
                        )
                          revoke.mutate(t.id);
                      }}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [expiresAt, setExpiresAt] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const create = useMutation({
    mutationFn: () =>
      post<CreatedApiToken>('/api/tokens', {
        name,
        role,
        ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
      }),
    onSuccess: (token) => {
      setErrors(NO_ERRORS);
      setName('');
      setExpiresAt('');
      onCreated(token);
      void queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: (error) => {
      setErrors(toFormErrors(error));
    },
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="card">
      <h2>New token</h2>
      <ErrorSummary errors={errors} />
      <TextField
        path="name"
        label="Name"
        value={name}
        onChange={setName}
        error={errors.fields.name}
        required
      />
      <SelectField
        path="role"
        label="Role"
        value={role}
        options={ROLE_OPTIONS}
        onChange={(value) => {
          setRole(value as Role);
        }}
        error={errors.fields.role}
      />
      <TextField
        path="expiresAt"
        label="Expires (optional)"
        type="datetime-local"
        value={expiresAt}
        onChange={setExpiresAt}
        error={errors.fields.expiresAt}
        hint="Leave empty for a token that works until it is revoked."
      />
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create token'}
      </button>
    </form>
  );
}
