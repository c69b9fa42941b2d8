import { Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ProfitabilityService } from '../../analytics/profitability/profitability.service';
import { languageOf } from '../../analytics/shared/as-of';
import { sendJson } from '../../shared/prepared-json';
import { ApiKeyGuard, CurrentTenant } from '../../tenancy/auth.guard';
import { Tenant } from '../../tenancy/tenants.service';
import { ErrorDto } from './dto';

const FIGURES_EXAMPLE = {
  grossSales: '835.00',
  returns: '72.00',
  netRevenue: '763.00',
  coveredRevenue: '638.00',
  uncoveredRevenue: '125.00',
  cogs: '408.00',
  grossProfit: '230.00',
  marginPct: '36.05',
  markupPct: '56.37',
  costOfCredit: '12.56',
  contribution: '217.44',
  costCoverage: '83.62',
  counts: { invoices: 2, creditNotes: 1, units: '19', returnedUnits: '1' },
};

const LIST_EXAMPLE = {
  by: 'customer',
  asOf: '2024-06-30',
  snapshotId: null,
  period: { from: null, to: '2024-06-30' },
  currency: 'SAR',
  annualCreditRate: '0.12',
  groups: 1,
  costCoverage: '83.62',
  totals: FIGURES_EXAMPLE,
  data: [{ key: 'C1', name: 'Al Ufuq Trading', nameAr: 'شركة الأفق للتجارة', ...FIGURES_EXAMPLE }],
  nextCursor: null,
};

const POINT = {
  rank: 1,
  key: 'C1',
  name: 'Al Ufuq Trading',
  contribution: '217.44',
  cumulativeContribution: '217.44',
  customerShare: '25.00',
  contributionShare: '83.07',
};

const WHALE_EXAMPLE = {
  asOf: '2024-06-30',
  snapshotId: null,
  period: { from: null, to: '2024-06-30' },
  currency: 'SAR',
  customers: 4,
  totalContribution: '261.75',
  peak: {
    ...POINT,
    rank: 3,
    key: 'C2',
    name: 'Najd Cafe',
    contribution: '20.74',
    cumulativeContribution: '276.75',
    customerShare: '75.00',
    contributionShare: '105.73',
  },
  sampled: false,
  step: 1,
  note: 'every customer is shown',
  points: [POINT],
};

const PERIOD_QUERIES = [
  {
    name: 'asOf',
    required: false,
    example: '2024-06-30',
    description: "default: today in the tenant's time zone; later documents never count",
  },
  {
    name: 'from',
    required: false,
    example: '2024-01-01',
    description: 'first day of the period (default: the beginning)',
  },
  {
    name: 'to',
    required: false,
    example: '2024-06-30',
    description: 'last day of the period (default and at most: asOf)',
  },
];

@ApiTags('analytics')
@ApiBearerAuth('apiKey')
@ApiResponse({ status: 401, type: ErrorDto })
@UseGuards(ApiKeyGuard)
@Controller('v1/analytics/profitability')
export class ProfitabilityController {
  constructor(private readonly service: ProfitabilityService) {}

  @Get()
  @ApiOperation({
    summary: 'Profitability per customer, product, RFM segment or category, by contribution',
    description:
      'Base currency; counting documents only (issued/paid invoices, issued credit notes, dated in [from, to], ' +
      'to ≤ asOf). grossSales = Σ invoice line net (after discounts); returns = Σ credit-note line net; COGS = Σ ' +
      'quantity × unit cost over lines with a known cost (line unitCost, else the latest inventory snapshot cost ≤ ' +
      'the sale date, else the product unitCost), less the cost of restocked returns; grossProfit = coveredRevenue ' +
      '− COGS, where coveredRevenue is the net revenue of lines with a known cost (uncoveredRevenue has no GP); ' +
      'marginPct = GP / coveredRevenue; markupPct = GP / COGS; costCoverage = coveredRevenue / netRevenue (each null when its base is ≤ 0); ' +
      'costOfCredit = Σ open balance × days open in the period × annualCreditRate / 365; contribution = GP − ' +
      'costOfCredit. Rows are sorted by contribution desc, then key; `totals` cover all rows, not only the page, ' +
      'and equal the exact sum of the exact row values (each presented figure is rounded half-up to the halala on ' +
      'its own, so Σ presented rows may differ from the presented total by at most 0.005 × rows). Keys without a ' +
      'product or category are "(none)"; customers without an RFM segment at asOf are segment "none".',
  })
  @ApiQuery({
    name: 'by',
    required: false,
    enum: ['customer', 'product', 'segment', 'category'],
    description: 'default customer',
  })
  @ApiQuery(PERIOD_QUERIES[0]!)
  @ApiQuery(PERIOD_QUERIES[1]!)
  @ApiQuery(PERIOD_QUERIES[2]!)
  @ApiQuery({ name: 'limit', required: false, example: 100, description: '1–500 (default 100)' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiOkResponse({
    description: 'one page of groups with the totals over all groups',
    schema: { example: LIST_EXAMPLE },
  })
  @ApiResponse({
    status: 400,
    type: ErrorDto,
    description: 'a bad by, date, limit or cursor (details.field names it)',
  })
  async list(
    @CurrentTenant() tenant: Tenant,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    sendJson(res, await this.service.list(tenant, query, languageOf(acceptLanguage)));
  }

  @Get('whale-curve')
  @ApiOperation({
    summary: 'Whale curve: cumulative share of contribution against cumulative share of customers',
    description:
      'Customers with any sale, return or cost of credit in the period, by contribution desc (ties by externalId). ' +
      'customerShare = rank / customers; contributionShare = cumulative contribution / total contribution (null ' +
      'when the total is ≤ 0). `peak` is the first point where the cumulative contribution is highest. With more ' +
      'than 200 customers the curve is sampled: every `step`-th customer plus the peak and the last (`sampled`).',
  })
  @ApiQuery(PERIOD_QUERIES[0]!)
  @ApiQuery(PERIOD_QUERIES[1]!)
  @ApiQuery(PERIOD_QUERIES[2]!)
  @ApiOkResponse({
    description: 'the curve, its peak and how it was sampled',
    schema: { example: WHALE_EXAMPLE },
  })
  @ApiResponse({ status: 400, type: ErrorDto, description: 'a bad date (details.field names it)' })
  async whaleCurve(
    @CurrentTenant() tenant: Tenant,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ) {
    sendJson(res, await this.service.whaleCurve(tenant, query));
  }
}
