import { Controller, Get, Headers, Param, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { sendJsonOrCsv } from '../../shared/json-or-csv';
import { sendJson } from '../../shared/prepared-json';
import { ReceivablesService } from '../../analytics/receivables/receivables.service';
import { languageOf } from '../../analytics/shared/as-of';
import { ApiKeyGuard, CurrentTenant } from '../../tenancy/auth.guard';
import { Tenant } from '../../tenancy/tenants.service';
import { ErrorDto } from './dto';

const AS_OF = {
  name: 'asOf',
  required: false,
  example: '2024-06-30',
  description: "default: today in the tenant's time zone",
};

@ApiTags('analytics: receivables')
@ApiBearerAuth('apiKey')
@ApiHeader({
  name: 'Accept-Language',
  required: false,
  description: '`ar` for Arabic descriptions and labels',
})
@ApiResponse({
  status: 400,
  type: ErrorDto,
  description: 'a bad date, limit, cursor or format (details.field names it)',
})
@ApiResponse({ status: 401, type: ErrorDto })
@UseGuards(ApiKeyGuard)
@Controller('v1')
export class ReceivablesController {
  constructor(private readonly receivables: ReceivablesService) {}

  @Get('customers/:externalId/statement')
  @ApiOperation({
    summary:
      'Statement of account (كشف حساب): opening balance, invoices, credit notes and payments with a running balance, closing balance',
    description:
      'Base-currency amounts; invoices are debits (total incl. VAT), credit notes and payments credits. Within a date: invoices, then credit notes, then payments, each by external id. `format=csv` answers text/csv (UTF-8 with BOM) with the same columns and opening/closing rows.',
  })
  @ApiQuery({
    name: 'from',
    required: false,
    example: '2024-01-01',
    description: "default: the customer's first document date (opening 0)",
  })
  @ApiQuery({
    name: 'to',
    required: false,
    example: '2024-06-30',
    description: "default: today in the tenant's time zone",
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    schema: {
      example: {
        customer: { externalId: 'C1', name: 'Al Ufuq Trading', nameAr: 'شركة الأفق للتجارة' },
        currency: 'SAR',
        from: '2024-04-10',
        to: '2024-05-31',
        openingBalance: '1380.00',
        lines: [
          {
            date: '2024-04-15',
            type: 'payment',
            reference: 'P-101',
            description: 'Payment P-101, applied to F-0101 (500.00)',
            debit: '0.00',
            credit: '500.00',
            balance: '880.00',
          },
        ],
        totals: { debit: '0.00', credit: '500.00' },
        closingBalance: '880.00',
      },
    },
  })
  @ApiResponse({ status: 404, type: ErrorDto, description: 'no such customer in this tenant' })
  async statement(
    @CurrentTenant() tenant: Tenant,
    @Param('externalId') externalId: string,
    @Query() q: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
    @Headers('accept-language') lang?: string,
  ) {
    const result = await this.receivables.statement(tenant, externalId, q, languageOf(lang));
    return sendJsonOrCsv(result, res);
  }

  @Get('analytics/receivables/aging')
  @ApiOperation({
    summary:
      'Aging at asOf: open amounts per customer by days overdue, unapplied credits, net owed, days to pay; tenant totals',
    description:
      'Rows: customers with anything open or unapplied, by net owed descending then customer id; cursor pagination. Totals cover all rows, not just the page.',
  })
  @ApiQuery(AS_OF)
  @ApiQuery({ name: 'limit', required: false, example: 100, description: '1 to 500' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiOkResponse({
    schema: {
      example: {
        asOf: '2024-06-30',
        snapshotId: null,
        currency: 'SAR',
        paymentTermsDays: 30,
        buckets: [{ key: 'notYetDue', label: 'Not yet due', minDays: null, maxDays: 0 }],
        data: [
          {
            customerId: 'C3',
            name: 'Red Sea Marine',
            nameAr: null,
            buckets: {
              notYetDue: '86.25',
              d1_30: '0.00',
              d31_60: '2300.00',
              d61_90: '375.00',
              over90: '0.00',
            },
            totalOpen: '2761.25',
            unappliedCredits: '115.00',
            netOwed: '2646.25',
            oldestOverdueDays: 71,
            daysToPay: { mean: null, settledInvoices: 0 },
          },
        ],
        nextCursor: null,
        totals: {
          customers: 1,
          buckets: { notYetDue: '86.25', d1_30: '0.00', d31_60: '2300.00', d61_90: '375.00', over90: '0.00' },
          totalOpen: '2761.25',
          unappliedCredits: '115.00',
          netOwed: '2646.25',
        },
      },
    },
  })
  async aging(
    @CurrentTenant() tenant: Tenant,
    @Query() q: Record<string, unknown>,
    @Res() res: Response,
    @Headers('accept-language') lang?: string,
  ) {
    sendJson(res, await this.receivables.aging(tenant, q, languageOf(lang)));
  }

  @Get('analytics/receivables/dso')
  @ApiOperation({
    summary: 'Days sales outstanding at asOf, and the tenant’s amount-weighted days to pay',
    description:
      'dso = receivables / credit sales of the 90 days ending asOf × 90 (the response says so in `formula`).',
  })
  @ApiQuery(AS_OF)
  @ApiOkResponse({
    schema: {
      example: {
        asOf: '2024-06-30',
        snapshotId: null,
        currency: 'SAR',
        dso: '101.84',
        receivables: '3871.25',
        creditSales90d: '3421.25',
        periodDays: 90,
        meanDaysToPay: '21.71',
        settledInvoices: 3,
        formula: 'dso = receivables / creditSales × 90; …',
      },
    },
  })
  async dso(
    @CurrentTenant() tenant: Tenant,
    @Query() q: Record<string, unknown>,
    @Res() res: Response,
    @Headers('accept-language') lang?: string,
  ) {
    sendJson(res, await this.receivables.dso(tenant, q, languageOf(lang)));
  }
}
