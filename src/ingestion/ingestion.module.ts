import { Module } from '@nestjs/common';
import { SnapshotsModule } from '../analytics/snapshots/snapshots.module';
import { ImportByteBudget } from './import-byte-budget';
import { ImportRuns } from './import-runs';
import { ImportService } from './import.service';

/** The one import path (push API, CLI and connectors): one ImportService and one run ledger per app. */
@Module({
  imports: [SnapshotsModule],
  providers: [ImportService, ImportRuns, ImportByteBudget],
  exports: [ImportService, ImportRuns, ImportByteBudget],
})
export class IngestionModule {}
