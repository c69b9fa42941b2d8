import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { asOfParam } from '../../analytics/shared/as-of';
import { AnalyticsJobsService } from '../../analytics/snapshots/analytics-jobs.service';
import { ApiKeyGuard, CurrentTenant } from '../../tenancy/auth.guard';
import { Tenant } from '../../tenancy/tenants.service';
import { ErrorDto } from './dto';

const JOB_EXAMPLE = {
  id: '5f0c…',
  kind: 'recompute',
  reason: 'manual',
  asOf: '2026-10-31',
  status: 'queued',
  requestedAt: '2026-11-22T10:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  snapshotId: null,
  error: null,
};

@ApiTags('analytics: snapshots')
@ApiBearerAuth('apiKey')
@ApiResponse({ status: 401, type: ErrorDto })
@UseGuards(ApiKeyGuard)
@Controller('v1/analytics')
export class SnapshotsController {
  constructor(private readonly jobs: AnalyticsJobsService) {}

  @Post('recompute')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Recompute and publish the analytics snapshot now (default asOf: today); returns a job to poll',
  })
  @ApiBody({ required: false, schema: { example: { asOf: '2026-10-31' } } })
  @ApiResponse({ status: 202, schema: { example: JOB_EXAMPLE } })
  @ApiResponse({ status: 400, type: ErrorDto })
  recompute(@CurrentTenant() tenant: Tenant, @Body() body: Record<string, unknown> | undefined) {
    return this.jobs.requestNow(tenant.id, asOfParam(body?.asOf, tenant.timezone));
  }

  @Get('jobs/:id')
  @ApiOperation({ summary: 'A recompute job: queued, running, succeeded (with its snapshot) or failed' })
  @ApiResponse({
    status: 200,
    schema: { example: { ...JOB_EXAMPLE, status: 'succeeded', snapshotId: '9a1e…' } },
  })
  @ApiResponse({ status: 404, type: ErrorDto })
  job(@CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string) {
    return this.jobs.get(tenant.id, id);
  }
}
