import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { asOfParam } from '../../analytics/shared/as-of';
import { AnalyticsJobsService } from '../../analytics/snapshots/analytics-jobs.service';
import { currentFreshness } from '../../analytics/snapshots/freshness';
import { SnapshotService } from '../../analytics/snapshots/snapshot.service';
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
  constructor(
    private readonly jobs: AnalyticsJobsService,
    private readonly snapshots: SnapshotService,
  ) {}

  @Get('freshness')
  @ApiOperation({
    summary:
      "How fresh today's analytics are: the published snapshot that serves them, the moment its data goes " +
      'through, when it was published, whether a refresh is pending (imports since), and the refresh job. ' +
      'Every analytics read carries the same in its Analytics-* response headers.',
  })
  @ApiResponse({
    status: 200,
    schema: {
      example: {
        asOf: '2026-12-07',
        snapshotId: '9a1e…',
        dataThrough: '2026-12-07T10:00:01.120Z',
        refreshedAt: '2026-12-07T10:00:31.480Z',
        refreshPending: true,
        refresh: { ...JOB_EXAMPLE, reason: 'import', asOf: null },
      },
    },
  })
  async freshness(@CurrentTenant() tenant: Tenant) {
    const asOf = asOfParam(undefined, tenant.timezone);
    await this.snapshots.usable(tenant.id, asOf, await this.snapshots.settingsFor(tenant.id));
    const now = new Date().toISOString();
    const f = currentFreshness() ?? {
      asOf,
      snapshotId: null,
      dataThrough: now,
      refreshedAt: now,
      refreshPending: false,
    };
    return { ...f, refresh: await this.jobs.pending(tenant.id) };
  }

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
