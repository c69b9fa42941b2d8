import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ClvService } from '../../analytics/clv/clv.service';
import { ApiKeyGuard, CurrentTenant } from '../../tenancy/auth.guard';
import { Tenant } from '../../tenancy/tenants.service';
import { ErrorDto } from './dto';

/** CDNOW (2,357 customers, weeks, calibration to 1997-09-30). */
const CLV_EXAMPLE = {
  asOf: '1997-09-30',
  timeUnit: 'week',
  horizonMonths: 12,
  discountRate: '0.01',
  currency: 'USD',
  modelId: '36cf2922-53d6-43fd-a511-b684beda6c6d',
  servedFrom: 'fitted',
  fittedAt: '2025-11-24T10:00:00.000Z',
  model: {
    name: 'bg-nbd',
    params: { r: 0.2425947, alpha: 4.4136018, a: 0.792922, b: 2.4259042 },
    logLikelihood: -9582.4292,
    converged: true,
    iterations: 22,
    customers: 2357,
    repeatBuyers: 946,
    distinctTuples: 1016,
  },
  spend: {
    name: 'gamma-gamma',
    params: { p: 6.2495775, q: 3.7442241, v: 15.443505 },
    logLikelihood: -4055.9177,
    converged: true,
    iterations: 17,
    customers: 946,
  },
  totals: {
    customers: 2357,
    repeatBuyers: 946,
    meanPAlive: 0.8134,
    expectedPurchases: { days30: 218.55, days90: 621.64, days365: 2093.97 },
    meanExpectedSpend: '35.25',
    predictedClv: '70726.72',
    marginClv: null,
    customersWithMargin: 0,
    historicalClv: '173115.55',
    historicalMargin: null,
  },
};

const HOLDOUT_EXAMPLE = {
  calibrationEnd: '1997-09-30',
  holdoutEnd: '1998-06-30',
  timeUnit: 'week',
  holdoutLength: 39,
  modelId: '36cf2922-53d6-43fd-a511-b684beda6c6d',
  model: CLV_EXAMPLE.model,
  groups: [
    {
      frequency: 0,
      customers: 1411,
      actual: 334,
      predicted: 317.5985,
      meanActual: 0.2367116,
      meanPredicted: 0.2250875,
    },
    {
      frequency: '7+',
      customers: 64,
      actual: 407,
      predicted: 394.0602,
      meanActual: 6.359375,
      meanPredicted: 6.1571902,
    },
  ],
  total: { customers: 2357, actual: 1882, predicted: 1653.4087, error: -228.5913, errorPct: '-12.15' },
};

const INSUFFICIENT_EXAMPLE = {
  error: 'insufficient_data',
  message:
    'too few repeat buyers to fit a CLV model at 2024-06-30: 3 customers bought more than once, at least 50 are needed (47 more)',
  details: {
    reason: 'repeat_buyers',
    repeatBuyers: 3,
    required: 50,
    missing: 47,
    customers: 5,
    historical: {
      asOf: '2024-06-30',
      customers: 5,
      repeatBuyers: 3,
      historicalClv: '1450.00',
      meanHistoricalClv: '290.00',
      maxHistoricalClv: '600.00',
    },
    historicalEndpoint: '/v1/analytics/clv/historical?asOf=2024-06-30',
  },
  requestId: 'b7c1…',
};

const MODEL_QUERIES = [
  { name: 'asOf', example: '1997-09-30', description: "default: today in the tenant's time zone" },
  { name: 'timeUnit', enum: ['day', 'week'], description: 'model time unit (default day; week = 7 days)' },
  { name: 'model', enum: ['bg-nbd', 'pareto-nbd'], description: 'transaction model (default bg-nbd)' },
];

@ApiTags('analytics')
@ApiBearerAuth('apiKey')
@ApiResponse({ status: 401, type: ErrorDto })
@UseGuards(ApiKeyGuard)
@Controller('v1/analytics/clv')
export class ClvController {
  constructor(private readonly service: ClvService) {}

  @Get()
  @ApiOperation({
    summary:
      'Predictive CLV: fitted transaction model (BG/NBD or Pareto/NBD) + Gamma-Gamma, diagnostics, totals',
    description:
      'Per customer at asOf (same-day invoices merged): x = purchase days − 1, t_x, T in the time unit, monetary = ' +
      'mean net value of the repeat purchase days (credit notes net against the purchase they return). Fitted by ' +
      'maximum likelihood; per-customer P(alive), expected purchases in the next 30/90/365 days, expected spend, ' +
      'CLV = Σ_{m=1..H} spend × (E[X(m)] − E[X(m−1)]) / (1+d)^m over months of 30 days, margin CLV and historical ' +
      'CLV are stored and shown in the customer list and profile. The fit is stored with the data version it saw: ' +
      'a repeated read is served without refitting until new documents are imported. Fewer than 50 repeat buyers: ' +
      '422 insufficient_data with what is missing and the historical CLV.',
  })
  @ApiQuery({ ...MODEL_QUERIES[0]!, required: false })
  @ApiQuery({ ...MODEL_QUERIES[1]!, required: false })
  @ApiQuery({ ...MODEL_QUERIES[2]!, required: false })
  @ApiQuery({
    name: 'horizonMonths',
    required: false,
    example: 12,
    description: 'CLV horizon H, 1–120 months (default 12)',
  })
  @ApiQuery({
    name: 'discountRate',
    required: false,
    example: '0.01',
    description: 'monthly discount rate d, 0 ≤ d < 1 (default 0.01)',
  })
  @ApiOkResponse({ description: 'the fitted models and totals', schema: { example: CLV_EXAMPLE } })
  @ApiResponse({ status: 400, type: ErrorDto, description: 'a query parameter is invalid (details.field)' })
  @ApiResponse({
    status: 422,
    description: 'too few repeat buyers to fit',
    schema: { example: INSUFFICIENT_EXAMPLE },
  })
  clv(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>) {
    return this.service.clv(tenant, query);
  }

  @Get('holdout')
  @ApiOperation({
    summary: 'Calibration/hold-out check: predicted vs actual repeat purchases per calibration frequency',
    description:
      'Fits the model on the documents up to calibrationEnd (stored like any fit), then for every customer whose ' +
      'first purchase is ≤ calibrationEnd compares the expected purchases in (calibrationEnd, holdoutEnd] with the ' +
      'actual purchase days there, grouped by calibration frequency 0..6 and "7+". actual and predicted are group ' +
      'totals (meanActual/meanPredicted per customer); total.error = predicted − actual, errorPct = error / actual × 100.',
  })
  @ApiQuery({ name: 'calibrationEnd', required: true, example: '1997-09-30' })
  @ApiQuery({
    name: 'holdoutEnd',
    required: true,
    example: '1998-06-30',
    description: 'after calibrationEnd',
  })
  @ApiQuery({ ...MODEL_QUERIES[1]!, required: false })
  @ApiQuery({ ...MODEL_QUERIES[2]!, required: false })
  @ApiOkResponse({ description: 'groups and total', schema: { example: HOLDOUT_EXAMPLE } })
  @ApiResponse({
    status: 400,
    type: ErrorDto,
    description: 'a date is missing or invalid, or holdoutEnd ≤ calibrationEnd',
  })
  @ApiResponse({
    status: 422,
    description: 'too few repeat buyers at calibrationEnd',
    schema: { example: INSUFFICIENT_EXAMPLE },
  })
  holdout(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>) {
    return this.service.holdout(tenant, query);
  }

  @Get('historical')
  @ApiOperation({
    summary:
      'Historical CLV: lifetime net revenue (invoices − credit notes ≤ asOf) of the customers who bought',
    description: 'Needs no model, so it is served whatever the amount of data.',
  })
  @ApiQuery({ ...MODEL_QUERIES[0]!, required: false })
  @ApiOkResponse({ schema: { example: { currency: 'SAR', ...INSUFFICIENT_EXAMPLE.details.historical } } })
  @ApiResponse({ status: 400, type: ErrorDto, description: 'asOf is not a date' })
  historical(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>) {
    return this.service.historical(tenant, query);
  }
}
