import type { DestinationTypeDescription } from '@audience-sync/exporter-contract';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DestinationTypeDoc } from './destinations.api';
import { PluginRegistry } from './plugin-registry';

@ApiTags('destinations')
@Controller('destination-types')
export class DestinationTypesController {
  constructor(private readonly registry: PluginRegistry) {}

  @Get()
  @ApiOperation({
    summary: 'The destination types of this server, with their configuration schemas',
    description:
      'Each type says what its `config` looks like (JSON Schema), which fields are secret, its sync modes, whether it needs a member key (`contactIdField`) and whether it offers an interactive sign-in.',
  })
  @ApiOkResponse({ type: [DestinationTypeDoc] })
  list(): DestinationTypeDescription[] {
    return this.registry.descriptions();
  }
}
