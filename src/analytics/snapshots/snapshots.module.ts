import { Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { SnapshotsController } from '../../api/v1/snapshots.controller';
import { AnalyticsJobsService } from './analytics-jobs.service';
import { AnalyticsWorker } from './analytics-worker';
import { PublishedQueries } from './published-queries';
import { SnapshotService } from './snapshot.service';

/** Snapshots, recompute jobs and their worker (ADR 0008); global so every engine can read snapshots. */
@Global()
@Module({
  imports: [ScheduleModule.forRoot()],
  controllers: [SnapshotsController],
  providers: [SnapshotService, PublishedQueries, AnalyticsJobsService, AnalyticsWorker],
  exports: [SnapshotService, PublishedQueries, AnalyticsJobsService, AnalyticsWorker],
})
export class SnapshotsModule {}
