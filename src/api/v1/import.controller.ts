import { Controller, Get, Headers, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { ImportService } from '../../ingestion/import.service';
import { RESOURCES, ResourceName } from '../../ingestion/resources/types';
import { DomainError } from '../../shared/errors';
import { readBody } from '../../shared/read-body';
import { ImportByteBudget } from '../../ingestion/import-byte-budget';
import { ApiKeyGuard, CurrentApiKeyId, CurrentTenant } from '../../tenancy/auth.guard';
import { Tenant } from '../../tenancy/tenants.service';
import { ErrorDto, ImportResultDto, ValidationErrorDto } from './dto';
import { IMPORT_EXAMPLES } from './import.examples';

@ApiTags('import')
@ApiBearerAuth('apiKey')
@ApiResponse({ status: 401, type: ErrorDto })
@UseGuards(ApiKeyGuard)
@Controller('v1/import')
export class ImportController {
  constructor(
    private readonly imports: ImportService,
    private readonly budget: ImportByteBudget,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post(':resource')
  @ApiOperation({
    summary: 'Upsert a batch of records by externalId, all or nothing',
    description:
      'Body: a JSON array, NDJSON (application/x-ndjson) or CSV (text/csv; invoices and credit notes: one row per ' +
      'line with the document fields repeated; payments: one row per allocation with allocation.invoiceId and ' +
      'allocation.amount). Any invalid record rejects the whole batch with 422 and every problem listed.',
  })
  @ApiParam({ name: 'resource', enum: RESOURCES })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'same key + same body replays the first response',
  })
  @ApiConsumes('application/json', 'application/x-ndjson', 'text/csv')
  @ApiBody({ schema: { type: 'array', items: { type: 'object' } }, examples: IMPORT_EXAMPLES })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiResponse({
    status: 409,
    type: ErrorDto,
    description: 'a request with this Idempotency-Key is still running',
  })
  @ApiResponse({ status: 413, type: ErrorDto })
  @ApiResponse({ status: 415, type: ErrorDto })
  @ApiResponse({ status: 422, type: ValidationErrorDto })
  @ApiResponse({ status: 429, type: ErrorDto, description: 'IMPORT_BYTES_PER_MINUTE spent; see Retry-After' })
  async import(
    @Param('resource') resource: string,
    @CurrentTenant() tenant: Tenant,
    @CurrentApiKeyId() apiKeyId: string | null,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!(RESOURCES as readonly string[]).includes(resource)) {
      throw new DomainError(
        'not_found',
        `unknown resource "${resource}": use one of ${RESOURCES.join(', ')}`,
      );
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > 0) this.budget.spend(tenant.id, declared);
    const body = await readBody(req, this.config.importBodyLimit);
    if (!(Number.isFinite(declared) && declared > 0)) this.budget.spend(tenant.id, body.length);
    const result = await this.imports.import({
      ctx: { tenantId: tenant.id, currency: tenant.currency, timeZone: tenant.timezone },
      apiKeyId,
      resource: resource as ResourceName,
      body,
      contentType: req.headers['content-type'],
      idempotencyKey,
    });
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res
      .status(result.status)
      .json(result.status >= 400 ? { ...result.body, requestId: (req as { id?: string }).id } : result.body);
  }

  @Get('runs')
  @ApiOperation({ summary: 'Import runs, newest first: counts, duration, status and the key that sent them' })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({
    schema: {
      example: {
        data: [
          {
            id: '0b6f…',
            resource: 'invoices',
            format: 'json',
            status: 'succeeded',
            received: 500,
            created: 480,
            updated: 20,
            unchanged: 0,
            errorCount: 0,
            apiKeyId: 'c0b7…',
            idempotencyKey: 'batch-2024-06-01-1',
            startedAt: '2026-11-22T10:00:00.000Z',
            finishedAt: '2026-11-22T10:00:01.250Z',
            durationMs: 1250,
          },
        ],
        nextCursor: null,
      },
    },
  })
  runs(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>) {
    return this.imports.listRuns(tenant.id, query);
  }
}
