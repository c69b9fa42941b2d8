import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsString,
  Length,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PASSWORD_MAX, PASSWORD_MIN } from './passwords';

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const present = (_o: unknown, v: unknown) => v !== undefined;
const NOT_BLANK = /\S/;

/** The password rule, with the messages the API documents. */
function Password(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    MinLength(PASSWORD_MIN, { message: `must be at least ${PASSWORD_MIN} characters` })(target, key);
    MaxLength(PASSWORD_MAX, { message: `must be at most ${PASSWORD_MAX} characters` })(target, key);
  };
}

export class LoginDto {
  @ApiProperty({ example: 'admin@demo.harakah.local' })
  @IsString()
  @MaxLength(254)
  @Matches(EMAIL, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ example: 'harakah-demo-2026', format: 'password' })
  @IsString()
  @Length(1, 1024)
  password!: string;
}

export class UserDto {
  @ApiProperty({ example: '0b6f…' }) id!: string;
  @ApiProperty({ example: 'admin@demo.harakah.local' }) email!: string;
  @ApiProperty({ example: 'Noura Al-Harbi' }) name!: string;
  @ApiProperty({ enum: ['admin', 'viewer'] }) role!: string;
  @ApiProperty({ enum: ['ar', 'en'], nullable: true, type: String }) locale!: string | null;
}

export class MeTenantDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'Al Ufuq Trading' }) name!: string;
  @ApiProperty({ example: 'SAR' }) currency!: string;
  @ApiProperty({ example: 'Asia/Riyadh' }) timezone!: string;
}

export class MeDto {
  @ApiProperty({ type: UserDto, nullable: true, description: 'null when the caller is an API key' })
  user!: UserDto | null;
  @ApiProperty({ enum: ['admin', 'viewer'], description: 'an API key acts as an admin' }) role!: string;
  @ApiProperty({ type: MeTenantDto }) tenant!: MeTenantDto;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'send as X-CSRF-Token on every request of this session that changes something',
  })
  csrfToken!: string | null;
}

export class UpdateMeDto {
  @ApiPropertyOptional({ enum: ['ar', 'en'], nullable: true, description: 'null: from Accept-Language' })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsIn(['ar', 'en'], { message: 'locale must be ar or en' })
  locale?: 'ar' | 'en' | null;

  @ApiPropertyOptional({ example: 'Noura Al-Harbi' })
  @ValidateIf(present)
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ format: 'password', description: 'required with newPassword' })
  @ValidateIf(present)
  @IsString()
  @Length(1, 1024)
  currentPassword?: string;

  @ApiPropertyOptional({ format: 'password', minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @ValidateIf(present)
  @Password()
  newPassword?: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'noura@example.com' })
  @IsString()
  @MaxLength(254)
  @Matches(EMAIL, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ format: 'password', minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @Password()
  password!: string;

  @ApiProperty({ enum: ['admin', 'viewer'] })
  @IsIn(['admin', 'viewer'], { message: 'role must be admin or viewer' })
  role!: 'admin' | 'viewer';

  @ApiProperty({ example: 'Noura Al-Harbi' })
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'Noura Al-Harbi' })
  @ValidateIf(present)
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ enum: ['admin', 'viewer'] })
  @ValidateIf(present)
  @IsIn(['admin', 'viewer'], { message: 'role must be admin or viewer' })
  role?: 'admin' | 'viewer';

  @ApiPropertyOptional({ description: 'true ends the user’s sessions at once; false enables the user again' })
  @ValidateIf(present)
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ format: 'password', minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @ValidateIf(present)
  @Password()
  password?: string;
}

export class UserViewDto extends UserDto {
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ type: String, nullable: true }) disabledAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) lastLoginAt!: string | null;
}
