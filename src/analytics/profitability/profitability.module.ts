import { Module } from '@nestjs/common';
import { ProfitabilityController } from '../../api/v1/profitability.controller';
import { ProfitabilityService } from './profitability.service';

/** Wiring of the profitability engine: its controller(s) from api/v1 and its services. */
@Module({ controllers: [ProfitabilityController], providers: [ProfitabilityService] })
export class ProfitabilityModule {}
