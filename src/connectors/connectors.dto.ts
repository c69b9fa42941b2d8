import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CONNECTOR_KINDS } from './adapter';

export class ConnectorScheduleDto {
  @ApiProperty({
    example: 60,
    minimum: 5,
    maximum: 10080,
    description: 'an incremental sync every N minutes',
  })
  @IsInt()
  @Min(5)
  @Max(10080)
  everyMinutes!: number;
}

export class CreateConnectorDto {
  @ApiProperty({ enum: CONNECTOR_KINDS, example: 'qoyod' })
  @IsIn(CONNECTOR_KINDS)
  kind!: string;

  @ApiProperty({ example: 'Qoyod — main company', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { apiKey: 'your-qoyod-api-key' },
    description:
      'qoyod: {apiKey} (Settings → General Settings → API key); erpnext: {url, apiKey, apiSecret}. ' +
      'Checked with the source before saving; stored encrypted; never returned.',
  })
  @IsObject()
  credentials!: Record<string, unknown>;

  @ApiPropertyOptional({
    type: ConnectorScheduleDto,
    nullable: true,
    description: 'default every 60 minutes (and a full sync nightly); null: manual syncs only',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @ValidateNested()
  @Type(() => ConnectorScheduleDto)
  schedule?: ConnectorScheduleDto | null;
}

export class UpdateConnectorDto {
  @ApiPropertyOptional({ example: 'Qoyod — branch', minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { apiKey: 'a-new-qoyod-api-key' },
    description: 'new credentials, checked with the source before they replace the old ones',
  })
  @IsOptional()
  @IsObject()
  credentials?: Record<string, unknown>;

  @ApiPropertyOptional({ type: ConnectorScheduleDto, nullable: true, description: 'null: manual syncs only' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @ValidateNested()
  @Type(() => ConnectorScheduleDto)
  schedule?: ConnectorScheduleDto | null;

  @ApiPropertyOptional({ example: true, description: 'true: no scheduled syncs until false again' })
  @IsOptional()
  @IsBoolean()
  paused?: boolean;
}

export class StartSyncDto {
  @ApiPropertyOptional({
    enum: ['incremental', 'full'],
    default: 'incremental',
    description: 'full also finds records deleted in the source',
  })
  @IsOptional()
  @IsIn(['incremental', 'full'])
  mode?: 'incremental' | 'full';
}
