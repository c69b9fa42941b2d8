import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AdminGuard } from '../../tenancy/auth.guard';
import { TenantsService } from '../../tenancy/tenants.service';
import {
  CreateKeyDto,
  CreateTenantDto,
  ErrorDto,
  KeyCreatedDto,
  TenantCreatedDto,
  ValidationErrorDto,
} from './dto';

@ApiTags('admin')
@ApiBearerAuth('admin')
@ApiResponse({ status: 401, type: ErrorDto, description: 'missing or wrong ADMIN_TOKEN' })
@UseGuards(AdminGuard)
@Controller('v1/admin/tenants')
export class AdminController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a tenant and its first API key (shown once)' })
  @ApiCreatedResponse({ type: TenantCreatedDto })
  @ApiResponse({ status: 422, type: ValidationErrorDto })
  create(@Body() dto: CreateTenantDto) {
    return this.tenants.create(dto);
  }

  @Post(':id/keys')
  @ApiOperation({ summary: 'Issue another API key for a tenant (shown once)' })
  @ApiCreatedResponse({ type: KeyCreatedDto })
  @ApiResponse({ status: 404, type: ErrorDto })
  issueKey(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateKeyDto) {
    return this.tenants.issueKey(id, dto.name ?? null);
  }

  @Get(':id/keys')
  @ApiOperation({ summary: "List a tenant's API keys (prefixes only, never the keys)" })
  listKeys(@Param('id', ParseUUIDPipe) id: string) {
    return this.tenants.listKeys(id);
  }

  @Delete(':id/keys/:keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key; it stops working at once' })
  @ApiNoContentResponse()
  @ApiResponse({ status: 404, type: ErrorDto })
  async revokeKey(@Param('id', ParseUUIDPipe) id: string, @Param('keyId', ParseUUIDPipe) keyId: string) {
    await this.tenants.revokeKey(id, keyId);
  }
}
