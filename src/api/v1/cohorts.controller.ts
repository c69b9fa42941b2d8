import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CohortsService } from '../../analytics/cohorts/cohorts.service';
import { sendJson } from '../../shared/prepared-json';
import { ApiKeyGuard, CurrentTenant } from '../../tenancy/auth.guard';
import { Tenant } from '../../tenancy/tenants.service';
import { ErrorDto } from './dto';

const EXAMPLE = {
  asOf: '2024-06-15',
  snapshotId: null,
  months: 2,
  currency: 'SAR',
  cohorts: [
    {
      cohort: '2024-05',
      customers: 2,
      periods: [
        {
          offset: 0,
          month: '2024-05',
          activeCustomers: 2,
          retentionPct: '100.00',
          netRevenue: '100.00',
          cumulativeNetRevenuePerCustomer: '50.00',
          partial: false,
        },
        {
          offset: 1,
          month: '2024-06',
          activeCustomers: 1,
          retentionPct: '50.00',
          netRevenue: '30.00',
          cumulativeNetRevenuePerCustomer: '65.00',
          partial: true,
        },
      ],
    },
    {
      cohort: '2024-06',
      customers: 0,
      periods: [
        {
          offset: 0,
          month: '2024-06',
          activeCustomers: 0,
          retentionPct: null,
          netRevenue: '0.00',
          cumulativeNetRevenuePerCustomer: null,
          partial: true,
        },
      ],
    },
  ],
  retentionByOffset: [
    { offset: 0, cohorts: 1, customers: 2, activeCustomers: 2, retentionPct: '100.00' },
    { offset: 1, cohorts: 0, customers: 0, activeCustomers: 0, retentionPct: null },
  ],
  totals: { customers: 2, netRevenue: '130.00' },
};

@ApiTags('analytics')
@ApiBearerAuth('apiKey')
@ApiResponse({ status: 401, type: ErrorDto })
@UseGuards(ApiKeyGuard)
@Controller('v1/analytics')
export class CohortsController {
  constructor(private readonly service: CohortsService) {}

  @Get('cohorts')
  @ApiOperation({
    summary: 'Acquisition cohorts: monthly retention, net revenue and cumulative net revenue per customer',
    description:
      "A customer's cohort is the month of their first counting invoice (issued/paid, dated ≤ asOf). " +
      'For each of the last `months` cohort months up to asOf (empty months included) and each month since: ' +
      'customers with a counting invoice that month, retention % of the cohort, net revenue (invoices − credit ' +
      'notes dated that month, base currency) and cumulative net revenue per customer. The month of asOf is ' +
      '`partial` unless asOf is its last day. retentionByOffset is Σ active / Σ customers over non-empty cohorts ' +
      'whose month at that offset is complete.',
  })
  @ApiQuery({
    name: 'asOf',
    required: false,
    example: '2024-06-15',
    description: "default: today in the tenant's time zone",
  })
  @ApiQuery({
    name: 'months',
    required: false,
    example: 12,
    description: 'cohort months to show, 1–120 (default 12)',
  })
  @ApiOkResponse({ description: 'the cohort grid, oldest cohort first', schema: { example: EXAMPLE } })
  @ApiResponse({ status: 400, type: ErrorDto, description: 'asOf is not a date or months is out of range' })
  async cohorts(
    @CurrentTenant() tenant: Tenant,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ) {
    sendJson(res, await this.service.cohorts(tenant, query));
  }
}
