import type { ConfigSchema } from '@audience-sync/exporter-contract';
import { checkCustomerFieldRefs } from './customer-field-refs';

const fields = [
  { name: 'customerId', type: 'string' as const, sources: [] },
  { name: 'email', type: 'string' as const, sources: ['crm'] },
];

describe('checkCustomerFieldRefs', () => {
  it('checks arrays marked x-customer-fields, nested or in alternatives', () => {
    const schema: ConfigSchema = {
      type: 'object',
      properties: {
        fields: { type: 'array', items: { type: 'string' }, 'x-customer-fields': true },
        tags: { type: 'array', items: { type: 'string' } },
        mapping: {
          type: 'object',
          properties: { kind: { type: 'string' } },
          oneOf: [
            {
              type: 'object',
              properties: {
                kind: { const: 'x' },
                columns: { type: 'array', items: { type: 'string' }, 'x-customer-fields': true },
              },
            },
          ],
        },
      },
    };
    expect(
      checkCustomerFieldRefs(
        schema,
        {
          fields: ['email', 'emial'],
          tags: ['anything'],
          mapping: { kind: 'x', columns: ['customerId', 'phone'] },
        },
        fields,
      ),
    ).toEqual([
      {
        path: 'config.fields[1]',
        message: '"emial" is not a customer field; known fields: customerId, email',
      },
      {
        path: 'config.mapping.columns[1]',
        message: '"phone" is not a customer field; known fields: customerId, email',
      },
    ]);
    expect(checkCustomerFieldRefs(schema, { fields: 'not an array' }, fields)).toEqual([]);
  });
});
