import { Module } from '@nestjs/common';
import { SegmentsController } from '../../api/v1/segments.controller';
import { SegmentsService } from './segments.service';

/** RFM, movement, lifecycle and the customer list/profile. */
@Module({ controllers: [SegmentsController], providers: [SegmentsService], exports: [SegmentsService] })
export class CustomerAnalyticsModule {}
