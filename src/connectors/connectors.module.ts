import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { SnapshotsModule } from '../analytics/snapshots/snapshots.module';
import { IngestionModule } from '../ingestion/ingestion.module';
import { ConnectorRuntime } from './connector-runtime';
import { ConnectorsController } from './connectors.controller';
import { ConnectorsLoop } from './connectors-loop';
import { ConnectorsService } from './connectors.service';
import { SyncWorker } from './sync/sync-worker';

/** Pull connectors (ADR 0018): the API, the shared sync engine and its worker loop. */
@Module({
  imports: [ScheduleModule.forRoot(), SnapshotsModule, IngestionModule],
  controllers: [ConnectorsController],
  providers: [ConnectorRuntime, SyncWorker, ConnectorsLoop, ConnectorsService],
  exports: [ConnectorsService, ConnectorsLoop, SyncWorker, ConnectorRuntime],
})
export class ConnectorsModule {}
