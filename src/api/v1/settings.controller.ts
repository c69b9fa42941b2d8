import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AnalyticsJobsService } from '../../analytics/snapshots/analytics-jobs.service';
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
  constructor(
    private readonly settings: SettingsService,
    private readonly jobs: AnalyticsJobsService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The tenant's analytics settings, defaults filled in" })
  get(@CurrentTenant() tenant: Tenant) {
    return this.settings.get(tenant.id);
  }

  @Put()
  @ApiOperation({
    summary:
      'Change some settings; omitted keys keep their value. A change queues a refresh of the analytics ' +
      'with the new settings; until it is published, the analytics keep answering with the previous ' +
      'settings (Analytics-Refresh-Pending: true), then switch in one step',
  })
  @ApiResponse({ status: 422, type: ValidationErrorDto })
  async update(@CurrentTenant() tenant: Tenant, @Body() dto: UpdateSettingsDto) {
    const before = JSON.stringify(await this.settings.get(tenant.id));
    const after = await this.settings.update(tenant.id, dto);
    if (JSON.stringify(after) !== before) await this.jobs.debounce(tenant.id, 0, 0, 'settings');
    return after;
  }
}
