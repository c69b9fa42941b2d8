import { Module } from '@nestjs/common';
import { ClvController } from '../../api/v1/clv.controller';
import { ClvService } from './clv.service';

/** Predictive CLV: fitted BG/NBD / Pareto-NBD + Gamma-Gamma models, stored per-customer predictions. */
@Module({
  controllers: [ClvController],
  providers: [ClvService],
  exports: [ClvService],
})
export class ClvModule {}
