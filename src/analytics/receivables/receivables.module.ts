import { Module } from '@nestjs/common';

/** Wiring of the receivables engine: its controller(s) from api/v1 and its services. */
@Module({})
export class ReceivablesModule {}
