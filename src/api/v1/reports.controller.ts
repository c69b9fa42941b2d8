import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CreateScheduleDto, UpdateScheduleDto } from '../../reports/reports.dto';
import { RunsService } from '../../reports/runs.service';
import { SchedulesService } from '../../reports/schedules.service';
import { ApiKeyGuard, CurrentTenant } from '../../tenancy/auth.guard';
import { Tenant } from '../../tenancy/tenants.service';
import { ErrorDto, ValidationErrorDto } from './dto';

const SCHEDULE_EXAMPLE = {
  id: '0b8f5c2e-6a0e-4c1e-9d4b-3c6f2a1e7d90',
  type: 'churn-risk',
  cron: '0 8 * * 0',
  timezone: 'Asia/Riyadh',
  format: 'html',
  language: 'ar',
  filters: { minScore: 80 },
  delivery: { webhookUrl: 'https://erp.example.com/hooks/harakah', secretSet: true },
  status: 'active',
  nextRunAt: '2025-01-05T05:00:00.000Z',
  lastScheduledFor: null,
  createdAt: '2025-01-01T10:00:00.000Z',
  updatedAt: '2025-01-01T10:00:00.000Z',
};

const RUN_EXAMPLE = {
  id: '5e7c1a44-2f1b-4b0e-8d7a-0c2d9e6f4a11',
  scheduleId: SCHEDULE_EXAMPLE.id,
  type: 'churn-risk',
  format: 'html',
  language: 'ar',
  trigger: 'schedule',
  status: 'succeeded',
  scheduledFor: '2025-01-05T05:00:00.000Z',
  asOf: '2025-01-05',
  queuedAt: '2025-01-05T05:00:01.204Z',
  startedAt: '2025-01-05T05:00:01.260Z',
  finishedAt: '2025-01-05T05:00:01.512Z',
  durationMs: 252,
  attempts: 1,
  rowCount: 14,
  summary: { customers: 14, valueAtRisk: '48210.50', balanceOwed: '9120.00' },
  error: null,
  expiresAt: '2025-04-05T05:00:01.512Z',
  delivery: { id: '9d1e…', status: 'delivered', attempts: 1, deliveredAt: '2025-01-05T05:00:02.010Z' },
};

@ApiTags('reports')
@ApiBearerAuth('apiKey')
@ApiResponse({ status: 401, type: ErrorDto })
@UseGuards(ApiKeyGuard)
@Controller('v1/reports')
export class ReportsController {
  constructor(
    private readonly schedules: SchedulesService,
    private readonly runs: RunsService,
  ) {}

  @Post('schedules')
  @ApiOperation({
    summary: 'Create a report schedule',
    description:
      'cron is evaluated in timezone (default the tenant’s). With a webhookUrl and no secret, a secret is ' +
      'generated and returned once in delivery.secret.',
  })
  @ApiResponse({ status: 201, schema: { example: SCHEDULE_EXAMPLE } })
  @ApiResponse({
    status: 422,
    type: ValidationErrorDto,
    description: 'invalid cron, timezone, filter or webhook (field named)',
  })
  create(@CurrentTenant() tenant: Tenant, @Body() dto: CreateScheduleDto) {
    return this.schedules.create(tenant, dto);
  }

  @Get('schedules')
  @ApiOperation({ summary: 'List schedules, oldest first; cursor pagination' })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ schema: { example: { data: [SCHEDULE_EXAMPLE], nextCursor: null } } })
  list(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>) {
    return this.schedules.list(tenant.id, query);
  }

  @Get('schedules/:id')
  @ApiOperation({ summary: 'One schedule' })
  @ApiOkResponse({ schema: { example: SCHEDULE_EXAMPLE } })
  @ApiResponse({ status: 404, type: ErrorDto })
  get(@CurrentTenant() tenant: Tenant, @Param('id') id: string) {
    return this.schedules.get(tenant.id, id);
  }

  @Patch('schedules/:id')
  @ApiOperation({ summary: 'Change a schedule; delivery: null removes the webhook; paused: true|false' })
  @ApiOkResponse({ schema: { example: SCHEDULE_EXAMPLE } })
  @ApiResponse({ status: 404, type: ErrorDto })
  @ApiResponse({ status: 422, type: ValidationErrorDto })
  update(@CurrentTenant() tenant: Tenant, @Param('id') id: string, @Body() dto: UpdateScheduleDto) {
    return this.schedules.update(tenant, id, dto);
  }

  @Post('schedules/:id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause a schedule (no runs until resumed)' })
  @ApiResponse({ status: 404, type: ErrorDto })
  pause(@CurrentTenant() tenant: Tenant, @Param('id') id: string) {
    return this.schedules.pause(tenant, id);
  }

  @Post('schedules/:id/resume')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Resume a paused schedule from its next due time after now (missed times are not run)',
  })
  @ApiResponse({ status: 404, type: ErrorDto })
  resume(@CurrentTenant() tenant: Tenant, @Param('id') id: string) {
    return this.schedules.resume(tenant, id);
  }

  @Delete('schedules/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a schedule with its runs and deliveries' })
  @ApiResponse({ status: 204 })
  @ApiResponse({ status: 404, type: ErrorDto })
  async remove(@CurrentTenant() tenant: Tenant, @Param('id') id: string): Promise<void> {
    await this.schedules.remove(tenant.id, id);
  }

  @Post('schedules/:id/run')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Run a schedule now; answers with the queued run (poll GET /v1/reports/runs/{id})',
  })
  @ApiResponse({ status: 202, schema: { example: { ...RUN_EXAMPLE, trigger: 'manual', status: 'queued' } } })
  @ApiResponse({ status: 404, type: ErrorDto })
  run(@CurrentTenant() tenant: Tenant, @Param('id') id: string) {
    return this.runs.trigger(tenant.id, id);
  }

  @Get('runs')
  @ApiOperation({ summary: 'Runs, newest first; cursor pagination' })
  @ApiQuery({ name: 'scheduleId', required: false })
  @ApiQuery({ name: 'status', required: false, enum: ['queued', 'running', 'succeeded', 'failed'] })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ schema: { example: { data: [RUN_EXAMPLE], nextCursor: null } } })
  @ApiResponse({ status: 400, type: ErrorDto })
  listRuns(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>) {
    return this.runs.list(tenant.id, query);
  }

  @Get('runs/:id')
  @ApiOperation({ summary: 'One run: status, timings, row count, summary, delivery and its attempts' })
  @ApiOkResponse({ schema: { example: RUN_EXAMPLE } })
  @ApiResponse({ status: 404, type: ErrorDto })
  getRun(@CurrentTenant() tenant: Tenant, @Param('id') id: string) {
    return this.runs.get(tenant.id, id);
  }

  @Get('runs/:id/download')
  @ApiOperation({ summary: "The run's report in its format (or ?format=json|csv|html)" })
  @ApiProduces('application/json', 'text/csv', 'text/html')
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'html'] })
  @ApiResponse({ status: 404, type: ErrorDto })
  @ApiResponse({ status: 409, type: ErrorDto, description: 'the run has not succeeded' })
  async download(
    @CurrentTenant() tenant: Tenant,
    @Param('id') id: string,
    @Query('format') format: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const d = await this.runs.download(tenant.id, id, format);
    res.setHeader('Content-Type', d.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${d.filename}"`);
    return d.body;
  }
}
