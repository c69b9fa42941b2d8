import { Controller, Get, Headers, Param, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CustomersService } from '../../analytics/customers/customers.service';
import { languageOf } from '../../analytics/shared/as-of';
import { RecordsService } from '../../records/records.service';
import { DomainError } from '../../shared/errors';
import { sendJson } from '../../shared/prepared-json';
import { ApiKeyGuard, CurrentTenant } from '../../tenancy/auth.guard';
import { Tenant } from '../../tenancy/tenants.service';
import { ErrorDto } from './dto';

const VIEW_EXAMPLE = {
  customerId: 'C1',
  name: 'Al Ufuq Trading',
  rfm: {
    r: 10,
    f: 4,
    m: '400.00',
    rScore: 4,
    fScore: 5,
    mScore: 3,
    fm: 4,
    segment: 'loyal',
    segmentLabel: 'Loyal',
  },
  lifecycle: { stage: 'at_risk', label: 'At risk', since: '2024-04-14' },
  riskFlags: [{ flag: 'overdue', reason: 'no purchase for 136 days; usually every 29' }],
  netRevenue: '400.00',
  balance: '0.00',
};

@ApiTags('customers')
@ApiBearerAuth('apiKey')
@ApiHeader({ name: 'Accept-Language', required: false, description: '`ar` for Arabic labels and reasons' })
@ApiResponse({ status: 400, type: ErrorDto })
@ApiResponse({ status: 401, type: ErrorDto })
@UseGuards(ApiKeyGuard)
@Controller('v1/customers')
export class CustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly records: RecordsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Customers with RFM scores, lifecycle stage and risk flags at asOf; filter, sort, cursor pages',
  })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-10-31' })
  @ApiQuery({ name: 'segment', required: false, example: 'at_risk' })
  @ApiQuery({ name: 'stage', required: false, example: 'lapsed' })
  @ApiQuery({ name: 'sort', required: false, enum: ['netRevenue', 'recency', 'frequency', 'balance'] })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({
    name: 'q',
    required: false,
    example: 'ufuq',
    description: 'text searched for in the name, Arabic name, email and external id (case-insensitive)',
  })
  @ApiQuery({
    name: 'risk',
    required: false,
    enum: ['any', 'overdue', 'spend_decline', 'returns_rising', 'paying_slower'],
  })
  @ApiQuery({
    name: 'format',
    required: false,
    enum: ['json', 'csv'],
    description: '`csv`: every matching customer as one file (same filters and sort; no cursor or limit)',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiResponse({
    status: 200,
    schema: { example: { asOf: '2024-06-30', data: [VIEW_EXAMPLE], nextCursor: null } },
  })
  async list(
    @CurrentTenant() tenant: Tenant,
    @Query() q: Record<string, unknown>,
    @Res() res: Response,
    @Headers('accept-language') lang?: string,
  ) {
    const { format, ...rest } = q;
    if (format !== undefined && format !== 'json' && format !== 'csv') {
      throw new DomainError('bad_request', 'format must be json or csv', { field: 'format' });
    }
    if (format === 'csv') {
      const { csv, fileName } = await this.customers.listCsv(tenant, rest);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
      res.send(csv);
      return;
    }
    sendJson(res, await this.customers.list(tenant, rest, languageOf(lang)));
  }

  @Get(':externalId')
  @ApiOperation({
    summary: 'One customer: contact details, RFM, lifecycle, risk flags, cadence, top products at asOf',
  })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-10-31' })
  @ApiResponse({
    status: 200,
    schema: {
      example: {
        ...VIEW_EXAMPLE,
        asOf: '2024-06-30',
        email: 'ap@alufuq.sa',
        cadence: {
          purchaseDays: 4,
          firstPurchase: '2024-01-10',
          lastPurchase: '2024-06-20',
          medianGapDays: '60',
          expectedNextPurchase: '2024-08-19',
          nextPurchaseOverdue: false,
        },
        topProducts: [
          { productId: 'SKU-1', name: 'Arabic coffee 1kg', quantity: '10', netRevenue: '545.00' },
        ],
      },
    },
  })
  @ApiResponse({ status: 404, type: ErrorDto })
  async profile(
    @CurrentTenant() tenant: Tenant,
    @Param('externalId') externalId: string,
    @Query() q: Record<string, unknown>,
    @Res() res: Response,
    @Headers('accept-language') lang?: string,
  ) {
    const record = () => this.records.customer(tenant, externalId);
    sendJson(res, await this.customers.profile(tenant, externalId, q, languageOf(lang), record));
  }
}
