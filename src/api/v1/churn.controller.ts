import { Controller, Get, Headers, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ChurnService } from '../../analytics/churn/churn.service';
import { languageOf } from '../../analytics/shared/as-of';
import { ApiKeyGuard, CurrentTenant } from '../../tenancy/auth.guard';
import { Tenant } from '../../tenancy/tenants.service';
import { ErrorDto } from './dto';

const CHURN_EXAMPLE = {
  asOf: '2026-10-31',
  snapshotId: null,
  currency: 'SAR',
  minScore: 1,
  model: { id: '36cf2922-53d6-43fd-a511-b684beda6c6d', status: 'fitted' },
  summary: {
    customersScored: 2870,
    atRisk: 412,
    valueAtRisk: '183224.10',
    bands: [
      { band: 'none', label: 'No risk signal', customers: 2458 },
      { band: 'low', label: 'Low', customers: 120 },
      { band: 'medium', label: 'Medium', customers: 210 },
      { band: 'high', label: 'High', customers: 82 },
    ],
    flags: { overdue: 300, spend_decline: 95, low_p_alive: 140, returns_rising: 12, paying_slower: 40 },
    oneTimeBuyers: 610,
    valuedByModel: 2870,
  },
  data: [
    {
      customerId: 'C-1042',
      name: 'Al Noor Trading',
      contact: { email: 'buyer@alnoor.sa', phone: '+966500000000', city: 'Riyadh', nameAr: 'النور للتجارة' },
      riskScore: 80,
      band: 'high',
      bandLabel: 'High',
      flags: [
        { flag: 'overdue', reason: 'no purchase for 142 days; usually every 30' },
        {
          flag: 'low_p_alive',
          reason: 'the purchase model gives a 21% probability that the customer is still active',
        },
      ],
      pAlive: 0.2113,
      pAliveBasis: 'model',
      valueAtRisk: '9120.40',
      valueBasis: 'predicted_clv',
      predictedClv: '11400.50',
      last12MonthsRevenue: '38210.00',
      segment: { key: 'cant_lose', label: "Can't lose them" },
      stage: { key: 'at_risk', label: 'At risk', since: '2026-08-21' },
      lastPurchase: '2026-06-11',
      daysSinceLastPurchase: 142,
      expectedNextPurchase: '2026-07-11',
      netRevenue: '120400.00',
      balance: '4300.00',
    },
  ],
  nextCursor: 'WyI5MTIwLjQwMDAwMCIsODAsIkMtMTA0MiJd',
};

@ApiTags('analytics: churn')
@ApiBearerAuth('apiKey')
@ApiHeader({ name: 'Accept-Language', required: false, description: '`ar` for Arabic labels and reasons' })
@ApiResponse({ status: 400, type: ErrorDto, description: 'a query parameter is invalid (details.field)' })
@ApiResponse({ status: 401, type: ErrorDto })
@UseGuards(ApiKeyGuard)
@Controller('v1/analytics/churn')
export class ChurnController {
  constructor(private readonly churn: ChurnService) {}

  @Get()
  @ApiOperation({
    summary: 'At-risk customers sorted by value at risk: flags with reasons, risk score 0–100, P(alive)',
    description:
      'Flags (DOMAIN §4): overdue against own cadence, spend decline, low probability alive (BG/NBD P(alive) < ' +
      'pAliveThreshold; one-time buyers by the documented Kaplan–Meier rule), returns rising, paying slower. ' +
      'score = round(100 × (1 − Π (1 − w_f))) over the raised flags with weights measured on a holdout ' +
      '(docs/analytics-definitions.md); valueAtRisk = score/100 × predicted CLV (or the last 12 months of net ' +
      'revenue when no CLV model can be fitted: valueBasis). Lists customers with score ≥ minScore (default 1).',
  })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-10-31' })
  @ApiQuery({ name: 'minScore', required: false, example: 40, description: '0–100, default 1' })
  @ApiQuery({ name: 'segment', required: false, example: 'at_risk' })
  @ApiQuery({ name: 'stage', required: false, example: 'at_risk' })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ schema: { example: CHURN_EXAMPLE } })
  list(
    @CurrentTenant() tenant: Tenant,
    @Query() query: Record<string, unknown>,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    return this.churn.list(tenant, query, languageOf(acceptLanguage));
  }

  @Get('holdout')
  @ApiOperation({
    summary: 'Holdout check of the churn flags: repeat-purchase rate of flagged vs unflagged customers',
    description:
      'Flags every customer at asOf, then counts who bought (a counting invoice) in (asOf, asOf + days]: per flag ' +
      'the flagged and unflagged customers, buyers and repeat rate (%), their ratio, and the same per score band.',
  })
  @ApiQuery({ name: 'asOf', required: true, example: '2011-09-09' })
  @ApiQuery({ name: 'days', required: false, example: 90, description: '1–730, default 90' })
  holdout(
    @CurrentTenant() tenant: Tenant,
    @Query() query: Record<string, unknown>,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    return this.churn.holdout(tenant, query, languageOf(acceptLanguage));
  }

  @Get('next-purchases')
  @ApiOperation({
    summary: 'Expected next purchase per customer (last purchase + median gap): passed or upcoming',
    description:
      'status=passed (default): customers whose expected next purchase date is before asOf, most recent first, ' +
      'with days past; status=upcoming: on or after asOf, soonest first. Customers with fewer than two purchase ' +
      'days have no cadence and are not listed.',
  })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-10-31' })
  @ApiQuery({ name: 'status', required: false, enum: ['passed', 'upcoming'] })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  @ApiQuery({ name: 'cursor', required: false })
  nextPurchases(
    @CurrentTenant() tenant: Tenant,
    @Query() query: Record<string, unknown>,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    return this.churn.nextPurchases(tenant, query, languageOf(acceptLanguage));
  }
}
