import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CUSTOMER_ID_FIELD, type CustomerField } from '@stages/contract/customer-field';
import { Source } from '@stages/sources/source.entity';

/**
 * The fields of the unified customer: `customerId` plus every field some source maps.
 * Segments, unification rules and destinations (`contactIdField`) validate names against it.
 */
@Injectable()
export class CustomerFieldsService {
  constructor(@InjectRepository(Source) private readonly sources: Repository<Source>) {}

  async list(): Promise<CustomerField[]> {
    const sources = await this.sources.find({ order: { createdAt: 'ASC', name: 'ASC' } });
    const fields = new Map<string, CustomerField>();
    for (const source of sources) {
      for (const [name, mapping] of Object.entries(source.mapping)) {
        const field = fields.get(name) ?? { name, type: mapping.type, sources: [] };
        field.sources.push(source.name);
        fields.set(name, field);
      }
    }
    const sorted = [...fields.values()].sort((a, b) => a.name.localeCompare(b.name));
    return [{ name: CUSTOMER_ID_FIELD, type: 'string', sources: [] }, ...sorted];
  }

  /** The field of that name, or undefined. */
  async find(name: string): Promise<CustomerField | undefined> {
    return (await this.list()).find((f) => f.name === name);
  }
}
