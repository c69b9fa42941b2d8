import { Module } from '@nestjs/common';
import { CustomersController } from '../../api/v1/customers.controller';
import { SegmentsController } from '../../api/v1/segments.controller';
import { RecordsService } from '../../records/records.service';
import { ClvModule } from '../clv/clv.module';
import { CustomersService } from './customers.service';
import { SegmentsService } from './segments.service';

/** RFM, movement, lifecycle and the customer list/profile. */
@Module({
  imports: [ClvModule],
  controllers: [SegmentsController, CustomersController],
  providers: [SegmentsService, CustomersService, RecordsService],
  exports: [SegmentsService, CustomersService],
})
export class CustomerAnalyticsModule {}
