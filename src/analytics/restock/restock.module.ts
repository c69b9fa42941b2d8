import { Module } from '@nestjs/common';
import { RestockController } from '../../api/v1/restock.controller';
import { RestockService } from './restock.service';

/** Wiring of the restock engine: its controller from api/v1 and its service. */
@Module({ controllers: [RestockController], providers: [RestockService], exports: [RestockService] })
export class RestockModule {}
