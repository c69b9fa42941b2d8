import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorDto, ValidationErrorDto } from '../api/v1/dto';
import { ApiKeyGuard, CurrentTenant } from '../tenancy/auth.guard';
import { Tenant } from '../tenancy/tenants.service';
import { CreateConnectorDto, StartSyncDto, UpdateConnectorDto } from './connectors.dto';
import { ConnectorsService } from './connectors.service';

const CONNECTOR_EXAMPLE = {
  id: '3c1f6a52-8a43-4c1e-9b7e-2f0d5c9a1e77',
  kind: 'qoyod',
  name: 'Qoyod — main company',
  status: 'idle',
  settings: {},
  schedule: { everyMinutes: 60 },
  paused: false,
  lastSync: {
    id: '7d2e9b10-4f6a-4a3b-8c1d-5e9f0a2b3c4d',
    mode: 'incremental',
    status: 'succeeded',
    startedAt: '2026-12-07T09:00:01.120Z',
    finishedAt: '2026-12-07T09:00:09.870Z',
  },
  nextRunAt: '2026-12-07T10:00:00.000Z',
  counts: { customers: 2000, products: 140, invoices: 13000, payments: 10000 },
  lastError: null,
  createdAt: '2026-12-01T08:00:00.000Z',
  updatedAt: '2026-12-01T08:00:00.000Z',
};

const SYNC_EXAMPLE = {
  id: '7d2e9b10-4f6a-4a3b-8c1d-5e9f0a2b3c4d',
  mode: 'incremental',
  trigger: 'schedule',
  status: 'succeeded',
  queuedAt: '2026-12-07T09:00:00.950Z',
  startedAt: '2026-12-07T09:00:01.120Z',
  finishedAt: '2026-12-07T09:00:09.870Z',
  progress: {
    customers: {
      pages: 1,
      fetched: 3,
      imported: 2,
      unchanged: 1,
      skipped: 0,
      failed: 0,
      deleted: 0,
      done: true,
    },
    invoices: {
      pages: 1,
      fetched: 41,
      imported: 40,
      unchanged: 0,
      skipped: 1,
      failed: 0,
      deleted: 0,
      done: true,
    },
  },
  counts: {
    requests: 6,
    fetched: 44,
    imported: 42,
    unchanged: 1,
    skipped: 1,
    failed: 0,
    voided: 0,
    removed: 0,
    resolved: 0,
  },
  errors: [],
  errorCount: 0,
  error: null,
};

@ApiTags('connectors')
@ApiBearerAuth('apiKey')
@ApiResponse({ status: 401, type: ErrorDto })
@UseGuards(ApiKeyGuard)
@Controller('v1/connectors')
export class ConnectorsController {
  constructor(private readonly connectors: ConnectorsService) {}

  @Post()
  @ApiOperation({
    summary: 'Connect an accounting system (Qoyod: its API key)',
    description:
      'The credentials are checked with one call to the source first, then stored encrypted (never returned). ' +
      'A first full sync is queued at once; then an incremental sync every schedule.everyMinutes (default 60) ' +
      'and a full sync nightly.',
  })
  @ApiResponse({ status: 201, schema: { example: { ...CONNECTOR_EXAMPLE, status: 'syncing' } } })
  @ApiResponse({
    status: 422,
    type: ValidationErrorDto,
    description: 'unknown or unavailable kind, missing fields, or the source refused the credentials',
  })
  @ApiResponse({ status: 409, type: ErrorDto, description: 'secrets_key_missing: set SECRETS_KEY' })
  @ApiResponse({
    status: 502,
    type: ErrorDto,
    description: 'source_unavailable: the source could not be reached',
  })
  create(@CurrentTenant() tenant: Tenant, @Body() dto: CreateConnectorDto) {
    return this.connectors.create(tenant, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The tenant’s connectors with their last sync' })
  @ApiOkResponse({ schema: { example: { data: [CONNECTOR_EXAMPLE] } } })
  list(@CurrentTenant() tenant: Tenant) {
    return this.connectors.list(tenant.id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One connector' })
  @ApiOkResponse({ schema: { example: CONNECTOR_EXAMPLE } })
  @ApiResponse({ status: 404, type: ErrorDto })
  get(@CurrentTenant() tenant: Tenant, @Param('id') id: string) {
    return this.connectors.get(tenant.id, id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Rename, replace the credentials (checked first), change the schedule, pause or resume',
  })
  @ApiOkResponse({ schema: { example: CONNECTOR_EXAMPLE } })
  @ApiResponse({ status: 404, type: ErrorDto })
  @ApiResponse({ status: 422, type: ValidationErrorDto })
  update(@CurrentTenant() tenant: Tenant, @Param('id') id: string, @Body() dto: UpdateConnectorDto) {
    return this.connectors.update(tenant, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disconnect: syncing stops, the imported data stays' })
  @ApiResponse({ status: 204 })
  @ApiResponse({ status: 404, type: ErrorDto })
  async remove(@CurrentTenant() tenant: Tenant, @Param('id') id: string): Promise<void> {
    await this.connectors.remove(tenant.id, id);
  }

  @Post(':id/sync')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start a sync now',
    description:
      'One sync at a time per connector: while one is queued or running, 409 sync_in_progress names it.',
  })
  @ApiResponse({ status: 202, schema: { example: { id: SYNC_EXAMPLE.id, status: 'queued' } } })
  @ApiResponse({ status: 404, type: ErrorDto })
  @ApiResponse({ status: 409, type: ErrorDto })
  sync(@CurrentTenant() tenant: Tenant, @Param('id') id: string, @Body() dto: StartSyncDto) {
    return this.connectors.startSync(tenant.id, id, dto.mode);
  }

  @Get(':id/syncs')
  @ApiOperation({ summary: 'The connector’s syncs, newest first; cursor pagination' })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ schema: { example: { data: [SYNC_EXAMPLE], nextCursor: null } } })
  @ApiResponse({ status: 404, type: ErrorDto })
  syncs(@CurrentTenant() tenant: Tenant, @Param('id') id: string, @Query() query: Record<string, unknown>) {
    return this.connectors.listSyncs(tenant.id, id, query);
  }

  @Get(':id/syncs/:syncId')
  @ApiOperation({
    summary: 'One sync: status, progress per stream, counts and errors naming the source records',
  })
  @ApiOkResponse({ schema: { example: SYNC_EXAMPLE } })
  @ApiResponse({ status: 404, type: ErrorDto })
  getSync(@CurrentTenant() tenant: Tenant, @Param('id') id: string, @Param('syncId') syncId: string) {
    return this.connectors.getSync(tenant.id, id, syncId);
  }
}
