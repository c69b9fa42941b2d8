import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

export class CreateTenantDto {
  @ApiProperty({ example: 'Al Ufuq Trading' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: 'SAR', default: 'SAR', description: 'ISO 4217 base currency' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter ISO 4217 code in capitals, such as SAR' })
  currency?: string;

  @ApiPropertyOptional({ example: 'Asia/Riyadh', default: 'Asia/Riyadh', description: 'IANA time zone' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  timezone?: string;
}

export class CreateKeyDto {
  @ApiPropertyOptional({ example: 'qoyod-sync' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}

export class RotateKeyDto {
  @ApiPropertyOptional({
    example: 86400,
    description: 'seconds the old key keeps working (0 – 2,592,000 = 30 days; default 86,400 = one day)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_592_000)
  overlapSeconds?: number;
}

export class TenantCreatedDto {
  @ApiProperty({ example: '6f1c2f9e-2a7b-4d7e-9a55-2f7f2f0f6a11' }) id!: string;
  @ApiProperty({ example: 'hk_4mV0…', description: 'shown once; store it now' }) apiKey!: string;
  @ApiProperty({ example: 'c0b7…' }) apiKeyId!: string;
}

export class KeyCreatedDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'hk_4mV0…', description: 'shown once; store it now' }) apiKey!: string;
}

export class ImportResultDto {
  @ApiProperty({ example: 120 }) received!: number;
  @ApiProperty({ example: 100 }) created!: number;
  @ApiProperty({ example: 5 }) updated!: number;
  @ApiProperty({ example: 15 }) unchanged!: number;
}

export class FieldErrorDto {
  @ApiPropertyOptional({ example: 3, description: 'position of the record in the batch (0-based)' })
  index?: number;
  @ApiProperty({ example: 'lines[0].quantity' }) field!: string;
  @ApiProperty({ example: 'must be greater than 0' }) message!: string;
  @ApiPropertyOptional({ example: 5, description: 'CSV input: line of the file' }) line?: number;
}

export class ValidationErrorDto {
  @ApiProperty({ example: 'validation_failed' }) error!: string;
  @ApiProperty({ example: '2 validation errors' }) message!: string;
  @ApiProperty({ type: [FieldErrorDto] }) errors!: FieldErrorDto[];
  @ApiProperty() requestId!: string;
}

export class ErrorDto {
  @ApiProperty({ example: 'not_found' }) error!: string;
  @ApiProperty({ example: 'customer "C-404" not found' }) message!: string;
  @ApiPropertyOptional({ type: Object }) details?: Record<string, unknown>;
  @ApiProperty() requestId!: string;
}
