import { Module } from '@nestjs/common';
import { ReceivablesController } from '../../api/v1/receivables.controller';
import { ReceivablesService } from './receivables.service';

/** Wiring of the receivables engine: its controller(s) from api/v1 and its services. */
@Module({
  controllers: [ReceivablesController],
  providers: [ReceivablesService],
  exports: [ReceivablesService],
})
export class ReceivablesModule {}
