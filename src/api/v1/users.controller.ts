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
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CreateUserDto, UpdateUserDto, UserViewDto } from '../../auth/auth.dto';
import { UsersService } from '../../auth/users.service';
import { ApiKeyGuard, CurrentTenant } from '../../tenancy/auth.guard';
import { Tenant } from '../../tenancy/tenants.service';
import { ErrorDto, ValidationErrorDto } from './dto';

/** The tenant's own users: admins (or an API key) manage them, viewers may list them (the guard). */
@ApiTags('users')
@ApiBearerAuth('apiKey')
@ApiCookieAuth()
@ApiResponse({ status: 401, type: ErrorDto })
@ApiResponse({ status: 403, type: ErrorDto, description: 'a viewer, or csrf_required' })
@UseGuards(ApiKeyGuard)
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's users, oldest first (never a password hash)" })
  @ApiOkResponse({ type: [UserViewDto] })
  list(@CurrentTenant() tenant: Tenant) {
    return this.users.list(tenant.id);
  }

  @Post()
  @ApiOperation({ summary: 'Add a user (admin or viewer) to the tenant' })
  @ApiCreatedResponse({ type: UserViewDto })
  @ApiResponse({ status: 409, type: ErrorDto, description: 'email_taken' })
  @ApiResponse({ status: 422, type: ValidationErrorDto })
  create(@CurrentTenant() tenant: Tenant, @Body() dto: CreateUserDto) {
    return this.users.create(tenant.id, dto);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a user: name, role, disabled, password',
    description:
      'Disabling or a new password ends the user’s sessions at once. The last enabled admin stays one (409).',
  })
  @ApiOkResponse({ type: UserViewDto })
  @ApiResponse({ status: 404, type: ErrorDto })
  @ApiResponse({ status: 409, type: ErrorDto, description: 'the last enabled admin' })
  @ApiResponse({ status: 422, type: ValidationErrorDto })
  update(
    @CurrentTenant() tenant: Tenant,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
  ) {
    return this.users.update(tenant.id, id, dto, 'tenant');
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user; their sessions end at once' })
  @ApiNoContentResponse()
  @ApiResponse({ status: 404, type: ErrorDto })
  @ApiResponse({ status: 409, type: ErrorDto, description: 'the last enabled admin' })
  async remove(@CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.remove(tenant.id, id, 'tenant');
  }
}
