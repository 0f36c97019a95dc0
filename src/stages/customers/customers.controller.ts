import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CustomerField } from '@stages/contract/customer-field';
import { CustomerDetailDoc, CustomerFieldDoc, CustomerPageDoc } from './customers.api';
import { CustomersService, type CustomerDetail, type CustomerPage } from './customers.service';
import { ListCustomersQuery } from './list-customers.query';

@ApiTags('customers')
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  @ApiOperation({
    summary: 'Unified customers, a page at a time',
    description:
      "Ordered by customer ID; pass the answer's `next` as `after` for the next page. `email` finds the customer whose email field has that canonical form (trimmed, lower case); `q` searches names and e-mail (case-insensitive substring) or an exact customer ID.",
  })
  @ApiOkResponse({ type: CustomerPageDoc })
  list(@Query() query: ListCustomersQuery): Promise<CustomerPage> {
    return this.customers.list({
      limit: query.limit ?? 100,
      after: query.after,
      email: query.email,
      q: query.q,
    });
  }

  @Get('fields')
  @ApiOperation({
    summary: 'The customer fields and their types',
    description: '`customerId` plus every field some source maps, with the sources mapping it.',
  })
  @ApiOkResponse({ type: [CustomerFieldDoc] })
  fields(): Promise<CustomerField[]> {
    return this.customers.fields();
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One customer with its identities and previous IDs',
    description:
      'Identities are the source records merged into the customer (source name and key). A previous ID (retired by a merge) answers 200 with the customer it was merged into: `requestedId` is the ID asked for, `mergedInto` (= `customerId`) the ID it has now.',
  })
  @ApiOkResponse({ type: CustomerDetailDoc })
  get(@Param('id') id: string): Promise<CustomerDetail> {
    return this.customers.get(id);
  }
}
