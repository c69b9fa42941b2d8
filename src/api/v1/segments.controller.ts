import { Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { SegmentsService } from '../../analytics/customers/segments.service';
import { languageOf } from '../../analytics/shared/as-of';
import { ApiKeyGuard, CurrentTenant } from '../../tenancy/auth.guard';
import { sendJson } from '../../shared/prepared-json';
import { Tenant } from '../../tenancy/tenants.service';
import { ErrorDto } from './dto';

@ApiTags('analytics: customers')
@ApiBearerAuth('apiKey')
@ApiHeader({ name: 'Accept-Language', required: false, description: '`ar` for Arabic labels' })
@ApiResponse({ status: 400, type: ErrorDto })
@ApiResponse({ status: 401, type: ErrorDto })
@UseGuards(ApiKeyGuard)
@Controller('v1/analytics')
export class SegmentsController {
  constructor(private readonly segments: SegmentsService) {}

  @Get('rfm')
  @ApiOperation({
    summary: 'RFM segments at asOf: customers, net revenue, shares, score distribution (DOMAIN §3)',
  })
  @ApiQuery({
    name: 'asOf',
    required: false,
    example: '2026-10-31',
    description: "default: today in the tenant's time zone",
  })
  @ApiQuery({
    name: 'windowDays',
    required: false,
    example: 365,
    description: 'limit F and M to the last N days; default the setting (all history)',
  })
  @ApiResponse({
    status: 200,
    schema: {
      example: {
        asOf: '2026-10-31',
        windowDays: null,
        currency: 'SAR',
        population: 2910,
        netRevenue: '1234567.89',
        segments: [
          {
            segment: 'champions',
            label: 'Champions',
            labelAr: 'الأبطال',
            cells: ['55', '54', '45'],
            customers: 310,
            netRevenue: '456789.00',
            customerShare: '10.65',
            revenueShare: '37.00',
          },
        ],
        scoreDistribution: { r: [{ score: 1, customers: 580 }], f: [], m: [], fm: [] },
      },
    },
  })
  async rfm(
    @CurrentTenant() tenant: Tenant,
    @Query() q: Record<string, unknown>,
    @Res() res: Response,
    @Headers('accept-language') lang?: string,
  ) {
    sendJson(res, await this.segments.rfm(tenant, q, languageOf(lang)));
  }

  @Get('rfm/movement')
  @ApiOperation({
    summary:
      'Customer movement between two dates: the full from→to matrix with the net revenue each cell brought in',
  })
  @ApiQuery({
    name: 'from',
    required: false,
    example: '2026-07-31',
    description: 'default: 90 days before `to`',
  })
  @ApiQuery({ name: 'to', required: false, example: '2026-10-31', description: 'default: today' })
  @ApiQuery({ name: 'by', required: false, enum: ['rfm', 'lifecycle'] })
  @ApiQuery({ name: 'windowDays', required: false })
  @ApiResponse({
    status: 200,
    schema: {
      example: {
        by: 'rfm',
        from: '2026-07-31',
        to: '2026-10-31',
        population: 2910,
        netRevenue: '98765.43',
        cells: [
          {
            from: 'none',
            to: 'new',
            fromLabel: 'None',
            toLabel: 'New customers',
            customers: 120,
            netRevenue: '15000.00',
          },
        ],
      },
    },
  })
  movement(
    @CurrentTenant() tenant: Tenant,
    @Query() q: Record<string, unknown>,
    @Headers('accept-language') lang?: string,
  ) {
    return this.segments.movement(tenant, q, languageOf(lang));
  }

  @Get('lifecycle')
  @ApiOperation({
    summary:
      'Customers per lifecycle stage at asOf, with flows into and out of each over the last 30 and 90 days',
  })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-10-31' })
  @ApiResponse({
    status: 200,
    schema: {
      example: {
        asOf: '2026-10-31',
        customers: 3000,
        stages: [
          {
            stage: 'at_risk',
            label: 'At risk',
            customers: 240,
            flows: { last30Days: { in: 31, out: 12 }, last90Days: { in: 80, out: 45 } },
          },
        ],
      },
    },
  })
  async lifecycle(
    @CurrentTenant() tenant: Tenant,
    @Query() q: Record<string, unknown>,
    @Res() res: Response,
    @Headers('accept-language') lang?: string,
  ) {
    sendJson(res, await this.segments.lifecycle(tenant, q, languageOf(lang)));
  }
}
