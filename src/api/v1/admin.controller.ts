import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CreateUserDto, UpdateUserDto, UserViewDto } from '../../auth/auth.dto';
import { UsersService } from '../../auth/users.service';
import { AdminGuard } from '../../tenancy/auth.guard';
import { TenantAdminService } from '../../tenancy/tenant-admin.service';
import { TenantsService } from '../../tenancy/tenants.service';
import {
  CreateKeyDto,
  CreateTenantDto,
  ErrorDto,
  KeyCreatedDto,
  RotateKeyDto,
  TenantCreatedDto,
  ValidationErrorDto,
} from './dto';

@ApiTags('admin')
@ApiBearerAuth('admin')
@ApiResponse({ status: 401, type: ErrorDto, description: 'missing or wrong ADMIN_TOKEN' })
@UseGuards(AdminGuard)
@Controller('v1/admin/tenants')
export class AdminController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly admin: TenantAdminService,
    private readonly users: UsersService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Tenants, oldest first, with their counts and last import (paged)' })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  list(@Query('limit') limit?: string, @Query('cursor') cursor?: string) {
    return this.admin.list({ limit, cursor });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One tenant with its counts' })
  @ApiResponse({ status: 404, type: ErrorDto })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.admin.get(id);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Suspend a tenant: its data is kept, its keys and sessions get 403, its schedules stop',
  })
  @ApiResponse({ status: 404, type: ErrorDto })
  suspend(@Param('id', ParseUUIDPipe) id: string) {
    return this.admin.suspend(id, true);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a suspended tenant' })
  @ApiResponse({ status: 404, type: ErrorDto })
  resume(@Param('id', ParseUUIDPipe) id: string) {
    return this.admin.suspend(id, false);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Delete a tenant and all of its data, in one transaction (cannot be undone)',
    description: 'Answers with the number of rows deleted per table.',
  })
  @ApiResponse({ status: 404, type: ErrorDto })
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.admin.delete(id);
  }

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

  @Post(':id/keys/:keyId/rotate')
  @ApiOperation({
    summary:
      'Replace an API key: a new key (shown once); the old one works for overlapSeconds more, then stops',
  })
  @ApiResponse({ status: 404, type: ErrorDto })
  @ApiResponse({ status: 422, type: ValidationErrorDto })
  rotateKey(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('keyId', ParseUUIDPipe) keyId: string,
    @Body() dto: RotateKeyDto,
  ) {
    return this.tenants.rotateKey(id, keyId, dto.overlapSeconds ?? 86_400);
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

  @Post(':id/users')
  @ApiOperation({
    summary: 'Create a user of a tenant (admin or viewer) who logs in with email and password',
  })
  @ApiCreatedResponse({ type: UserViewDto })
  @ApiResponse({ status: 404, type: ErrorDto })
  @ApiResponse({ status: 409, type: ErrorDto, description: 'email_taken: emails are unique across tenants' })
  @ApiResponse({ status: 422, type: ValidationErrorDto })
  createUser(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateUserDto) {
    return this.users.create(id, dto);
  }

  @Get(':id/users')
  @ApiOperation({ summary: "A tenant's users, oldest first (never a password hash)" })
  @ApiOkResponse({ type: [UserViewDto] })
  @ApiResponse({ status: 404, type: ErrorDto })
  listUsers(@Param('id', ParseUUIDPipe) id: string) {
    return this.users.list(id);
  }

  @Patch(':id/users/:userId')
  @ApiOperation({
    summary: 'Change a user: name, role, disabled, password',
    description: 'Disabling or a new password ends the user’s sessions at once.',
  })
  @ApiOkResponse({ type: UserViewDto })
  @ApiResponse({ status: 404, type: ErrorDto })
  @ApiResponse({ status: 422, type: ValidationErrorDto })
  updateUser(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() dto: UpdateUserDto,
  ) {
    return this.users.update(id, userId, dto, 'operator');
  }

  @Delete(':id/users/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user; their sessions end at once' })
  @ApiNoContentResponse()
  @ApiResponse({ status: 404, type: ErrorDto })
  async removeUser(@Param('id', ParseUUIDPipe) id: string, @Param('userId', ParseUUIDPipe) userId: string) {
    await this.users.remove(id, userId, 'operator');
  }
}
