import { Module } from '@nestjs/common';
import { CohortsController } from '../../api/v1/cohorts.controller';
import { CohortsService } from './cohorts.service';

/** Wiring of the cohorts engine: its controller(s) from api/v1 and its services. */
@Module({
  controllers: [CohortsController],
  providers: [CohortsService],
})
export class CohortsModule {}
