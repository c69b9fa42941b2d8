import { Module, OnModuleInit } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ReportsController } from '../api/v1/reports.controller';
import { Clock } from './clock';
import { ChurnRiskReport } from './content/churn-risk.provider';
import { ReportContent } from './content/content-provider';
import { ReceivablesAgingReport } from './content/receivables-aging.provider';
import { RestockReport } from './content/restock.provider';
import { DeliveryWorker } from './delivery/delivery-worker';
import { ReportScheduler } from './report-scheduler';
import { ReportsLoop } from './reports-loop';
import { RunWorker } from './run-worker';
import { RunsService } from './runs.service';
import { SchedulesService } from './schedules.service';

/**
 * Scheduled reports (ADR 0007): schedules and runs over HTTP, the scheduler/worker loop, content
 * providers per report type, renderers and webhook delivery.
 */
@Module({
  imports: [ScheduleModule.forRoot()],
  controllers: [ReportsController],
  providers: [
    Clock,
    ReportContent,
    SchedulesService,
    RunsService,
    ReportScheduler,
    RunWorker,
    DeliveryWorker,
    ReportsLoop,
  ],
  exports: [Clock, ReportContent, ReportsLoop],
})
export class ReportsModule implements OnModuleInit {
  constructor(private readonly content: ReportContent) {}

  onModuleInit(): void {
    // every type takes its content from its analytics engine (looked up when a run generates)
    this.content.useDefault(new ChurnRiskReport());
    this.content.useDefault(new ReceivablesAgingReport());
    this.content.useDefault(new RestockReport());
  }
}
