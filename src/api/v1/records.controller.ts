import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RecordsService } from '../../records/records.service';
import { ApiKeyGuard, CurrentTenant } from '../../tenancy/auth.guard';
import { Tenant } from '../../tenancy/tenants.service';
import { ErrorDto } from './dto';
import { INVOICE_EXAMPLE, PRODUCT_EXAMPLE } from './records.examples';

@ApiTags('records')
@ApiBearerAuth('apiKey')
@ApiResponse({ status: 401, type: ErrorDto })
@UseGuards(ApiKeyGuard)
@Controller('v1')
export class RecordsController {
  constructor(private readonly records: RecordsService) {}

  @Get('products/:externalId')
  @ApiOperation({ summary: 'One product, with its latest stock snapshot per warehouse' })
  @ApiResponse({ status: 200, schema: { example: PRODUCT_EXAMPLE } })
  @ApiResponse({ status: 404, type: ErrorDto })
  product(@CurrentTenant() tenant: Tenant, @Param('externalId') externalId: string) {
    return this.records.product(tenant, externalId);
  }

  @Get('invoices')
  @ApiOperation({ summary: 'Invoices with lines, by issue date; cursor pagination' })
  @ApiQuery({ name: 'customerId', required: false, description: "the customer's externalId" })
  @ApiQuery({ name: 'from', required: false, example: '2024-01-01' })
  @ApiQuery({ name: 'to', required: false, example: '2024-12-31' })
  @ApiQuery({ name: 'limit', required: false, example: 100, description: 'at most 500' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiResponse({
    status: 200,
    schema: { example: { data: [INVOICE_EXAMPLE], nextCursor: 'WyIyMDI0LTAzLTAxIiwxXQ' } },
  })
  @ApiResponse({ status: 400, type: ErrorDto })
  invoices(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>) {
    return this.records.invoices(tenant, query);
  }
}
