import { Global, Module } from '@nestjs/common';
import { AdminGuard, ApiKeyGuard } from './auth.guard';
import { TenantAdminService } from './tenant-admin.service';
import { TenantsService } from './tenants.service';

/** Tenants, keys and the guards; global so every feature module's controllers can use the guards. */
@Global()
@Module({
  providers: [TenantsService, TenantAdminService, ApiKeyGuard, AdminGuard],
  exports: [TenantsService, TenantAdminService, ApiKeyGuard, AdminGuard],
})
export class TenancyModule {}
