import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { KnownQueryInterceptor } from './ops/known-query.interceptor';
import { AdminController } from './api/v1/admin.controller';
import { AuthController } from './api/v1/auth.controller';
import { UsersController } from './api/v1/users.controller';
import { AuthModule } from './auth/auth.module';
import { HealthController } from './api/v1/health.controller';
import { ImportController } from './api/v1/import.controller';
import { RecordsController } from './api/v1/records.controller';
import { ChurnModule } from './analytics/churn/churn.module';
import { ClvModule } from './analytics/clv/clv.module';
import { CohortsModule } from './analytics/cohorts/cohorts.module';
import { CustomerAnalyticsModule } from './analytics/customers/customers.module';
import { SnapshotsModule } from './analytics/snapshots/snapshots.module';
import { ProfitabilityModule } from './analytics/profitability/profitability.module';
import { ReceivablesModule } from './analytics/receivables/receivables.module';
import { RestockModule } from './analytics/restock/restock.module';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { ConnectorsModule } from './connectors/connectors.module';
import { DatabaseModule } from './database/database.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { WorkerIdentityModule } from './reports/worker-identity';
import { RecordsService } from './records/records.service';
import { JsonBodyInterceptor } from './ops/json-body.interceptor';
import { NulInputInterceptor } from './ops/nul-input.interceptor';
import { ReportsModule } from './reports/reports.module';
import { SettingsModule } from './settings/settings.module';
import { TenancyModule } from './tenancy/tenancy.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        WorkerIdentityModule,
        IngestionModule,
        TenancyModule,
        AuthModule,
        SettingsModule,
        SnapshotsModule,
        ReceivablesModule,
        ProfitabilityModule,
        CohortsModule,
        ClvModule,
        ChurnModule,
        CustomerAnalyticsModule,
        ReportsModule,
        RestockModule,
        ConnectorsModule,
      ],
      controllers: [
        HealthController,
        AdminController,
        AuthController,
        UsersController,
        ImportController,
        RecordsController,
      ],
      providers: [
        RecordsService,
        { provide: APP_INTERCEPTOR, useClass: JsonBodyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: NulInputInterceptor },
        { provide: APP_INTERCEPTOR, useClass: KnownQueryInterceptor },
      ],
    };
  }
}
