import { DynamicModule, Module } from '@nestjs/common';
import { AdminController } from './api/v1/admin.controller';
import { HealthController } from './api/v1/health.controller';
import { ImportController } from './api/v1/import.controller';
import { RecordsController } from './api/v1/records.controller';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ImportService } from './ingestion/import.service';
import { RecordsService } from './records/records.service';
import { ApiKeyGuard, AdminGuard } from './tenancy/auth.guard';
import { TenantsService } from './tenancy/tenants.service';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule],
      controllers: [HealthController, AdminController, ImportController, RecordsController],
      providers: [TenantsService, ApiKeyGuard, AdminGuard, ImportService, RecordsService],
    };
  }
}
