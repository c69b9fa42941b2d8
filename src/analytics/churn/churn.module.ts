import { Module } from '@nestjs/common';
import { ChurnController } from '../../api/v1/churn.controller';
import { CustomerAnalyticsModule } from '../customers/customers.module';
import { ChurnService } from './churn.service';

/** Churn risk: flags with reasons, risk score, value at risk, holdout check, expected next purchases. */
@Module({
  imports: [CustomerAnalyticsModule],
  controllers: [ChurnController],
  providers: [ChurnService],
  exports: [ChurnService],
})
export class ChurnModule {}
