import { Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
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
import { RestockService } from '../../analytics/restock/restock.service';
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
const WINDOW = {
  name: 'windowDays',
  required: false,
  example: 90,
  description: 'demand window (asOf − windowDays, asOf], 7 to 730; default: the restockWindowDays setting',
};
const FORMAT = {
  name: 'format',
  required: false,
  enum: ['json', 'csv'],
  description: 'csv: every row (limit/cursor ignored), UTF-8 with BOM',
};

@ApiTags('analytics: restock')
@ApiBearerAuth('apiKey')
@ApiHeader({
  name: 'Accept-Language',
  required: false,
  description: '`ar` for Arabic explanations and names',
})
@ApiResponse({ status: 400, type: ErrorDto, description: 'a bad parameter (details.field names it)' })
@ApiResponse({ status: 401, type: ErrorDto })
@UseGuards(ApiKeyGuard)
@Controller('v1/analytics/restock')
export class RestockController {
  constructor(private readonly restock: RestockService) {}

  @Get()
  @ApiOperation({
    summary: 'What to reorder, when and why: one row per product and warehouse (DOMAIN §8)',
    description:
      'Services and products with neither a stock snapshot ≤ asOf nor demand in the window are left out; a product sold without any snapshot is listed with `missing: ["stock"]` and no quantity. Demand is per product and split equally over the warehouses holding it at asOf. Rows by revenue at risk descending, then product, then warehouse; JSON pages with limit/cursor. `demandShares`: champions/loyal/atRisk/priority = % of the window\'s invoice units bought by customers in those RFM segments; lapsed = % of the invoice units of the last `lapsedLookbackDays` = max(365, lapseDays + windowDays) days bought by customers whose lifecycle stage at asOf is lapsed — demand not expected to come back, not taken off the rate (the explanation mentions it from 20 %).',
  })
  @ApiQuery(AS_OF)
  @ApiQuery({ name: 'warehouseId', required: false, example: 'main' })
  @ApiQuery({ name: 'serviceLevel', required: false, example: 0.95, description: '0.5 to 0.9999' })
  @ApiQuery({ name: 'coverDays', required: false, example: 30, description: '0 to 365' })
  @ApiQuery(WINDOW)
  @ApiQuery({
    name: 'onlyActionable',
    required: false,
    enum: ['true', 'false'],
    description: 'true: only rows at or below their reorder point',
  })
  @ApiQuery({ name: 'limit', required: false, example: 100, description: '1 to 500' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery(FORMAT)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    schema: {
      example: {
        asOf: '2024-06-30',
        windowDays: 90,
        coverDays: 30,
        serviceLevel: 0.95,
        defaultLeadTimeDays: 14,
        lapsedLookbackDays: 365,
        currency: 'SAR',
        rows: 1,
        data: [
          {
            productId: 'SKU-42',
            name: 'Arabic coffee 1kg',
            warehouseId: 'main',
            stockAsOf: '2024-06-30',
            demandShareOfProduct: '1',
            demandClass: 'smooth',
            rateMethod: 'mean',
            dailyRate: '2.5',
            demandDays: 90,
            adi: '1',
            cv2: '0.04',
            croston: null,
            sigma: '0.527',
            leadTimeDays: 14,
            leadTimeSource: 'product',
            z: '1.6449',
            safetyStock: '3.2438',
            reorderPoint: '38.2438',
            target: '113.2438',
            onHand: '8',
            onOrder: '0',
            packSize: '6',
            minOrderQty: null,
            need: '105.243815',
            suggestedQuantity: '108',
            unitCost: '38.50',
            orderValue: '4158.00',
            daysOfCover: '3.2',
            stockOutDate: '2024-07-03',
            belowReorderPoint: true,
            averageSellingPrice: '55.00',
            revenueAtRisk: '1485.00',
            demandShares: {
              champions: '60.00',
              loyal: '20.00',
              atRisk: '5.00',
              priority: '85.00',
              lapsed: '12.50',
            },
            missing: [],
            explanation: 'Sold 2.5 a day on average over 90 days (smooth demand). …',
          },
        ],
        nextCursor: null,
      },
    },
  })
  async list(
    @CurrentTenant() tenant: Tenant,
    @Query() q: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
    @Headers('accept-language') lang?: string,
  ) {
    const result = await this.restock.restock(tenant, q, languageOf(lang));
    return sendJsonOrCsv(result, res);
  }

  @Get('dead-stock')
  @ApiOperation({
    summary: 'Dead stock: products with stock on hand and no sales in the window, value tied up, last sale',
    description:
      'Per product and warehouse (latest snapshot ≤ asOf, on hand > 0, no counting invoice line in the window). Value = on hand × unit cost (snapshot, else product); unknown cost gives `valueTiedUp: null` and `missing: ["unitCost"]`. All rows, by value descending.',
  })
  @ApiQuery(AS_OF)
  @ApiQuery(WINDOW)
  @ApiQuery(FORMAT)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    schema: {
      example: {
        asOf: '2024-06-30',
        windowDays: 90,
        currency: 'SAR',
        rows: 1,
        totalValueTiedUp: '87.50',
        rowsWithUnknownCost: 0,
        data: [
          {
            productId: 'SKU-7',
            name: 'Rose water',
            warehouseId: 'main',
            stockAsOf: '2024-06-30',
            onHand: '7',
            unitCost: '12.50',
            valueTiedUp: '87.50',
            lastSaleDate: '2024-03-15',
            daysSinceLastSale: 107,
            missing: [],
          },
        ],
      },
    },
  })
  async deadStock(
    @CurrentTenant() tenant: Tenant,
    @Query() q: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
    @Headers('accept-language') lang?: string,
  ) {
    const result = await this.restock.deadStock(tenant, q, languageOf(lang));
    return sendJsonOrCsv(result, res);
  }
}
