import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { UpdateSettingsDto } from '../../settings/settings.dto';
import { SettingsService } from '../../settings/settings.service';
import { ApiKeyGuard, CurrentTenant } from '../../tenancy/auth.guard';
import { Tenant } from '../../tenancy/tenants.service';
import { ErrorDto, ValidationErrorDto } from './dto';

@ApiTags('settings')
@ApiBearerAuth('apiKey')
@ApiResponse({ status: 401, type: ErrorDto })
@UseGuards(ApiKeyGuard)
@Controller('v1/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's analytics settings, defaults filled in" })
  get(@CurrentTenant() tenant: Tenant) {
    return this.settings.get(tenant.id);
  }

  @Put()
  @ApiOperation({ summary: 'Change some settings; omitted keys keep their value' })
  @ApiResponse({ status: 422, type: ValidationErrorDto })
  update(@CurrentTenant() tenant: Tenant, @Body() dto: UpdateSettingsDto) {
    return this.settings.update(tenant.id, dto);
  }
}
