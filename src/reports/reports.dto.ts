import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { RFM_SEGMENTS } from '../analytics/rfm/rfm.math';
import {
  REPORT_FORMATS,
  REPORT_LANGUAGES,
  REPORT_TYPES,
  ReportFormat,
  ReportLanguage,
  ReportType,
} from './report-types';

/** Filters of every type; each type accepts only its own (churn-risk: minScore, segment; …). */
export class ReportFiltersDto {
  @ApiPropertyOptional({
    example: 80,
    description: 'churn-risk: keep customers whose risk score (0–100) is at least this',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  minScore?: number;

  @ApiPropertyOptional({
    enum: RFM_SEGMENTS.map((s) => s.key),
    description: 'churn-risk: keep one RFM segment',
  })
  @IsOptional()
  @IsIn(RFM_SEGMENTS.map((s) => s.key))
  segment?: string;

  @ApiPropertyOptional({
    example: 30,
    description: 'receivables-aging: customers with an invoice at least this many days overdue',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(3650)
  minDaysOverdue?: number;

  @ApiPropertyOptional({ example: 'Coffee', description: 'restock: one product category' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  category?: string;
}

export class ReportDeliveryDto {
  @ApiPropertyOptional({
    example: 'https://erp.example.com/hooks/harakah',
    description: 'http or https; private addresses need WEBHOOK_ALLOWLIST',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  webhookUrl?: string;

  @ApiPropertyOptional({
    example: 'a-long-random-shared-secret',
    description: 'HMAC secret (16–200 characters); generated and shown once when omitted',
  })
  @IsOptional()
  @IsString()
  @Length(16, 200)
  secret?: string;
}

export class CreateScheduleDto {
  @ApiProperty({ enum: REPORT_TYPES }) @IsIn(REPORT_TYPES) type!: ReportType;

  @ApiProperty({
    example: '0 8 * * 0',
    description: 'five-field cron (minute hour day month weekday) or @daily/@weekly/…',
  })
  @IsString()
  @MaxLength(100)
  cron!: string;

  @ApiPropertyOptional({ example: 'Asia/Riyadh', description: "IANA time zone; default the tenant's" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  timezone?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;

  @ApiPropertyOptional({ enum: REPORT_LANGUAGES, default: 'en' })
  @IsOptional()
  @IsIn(REPORT_LANGUAGES)
  language?: ReportLanguage;

  @ApiPropertyOptional({ type: ReportFiltersDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReportFiltersDto)
  filters?: ReportFiltersDto;

  @ApiPropertyOptional({ type: ReportDeliveryDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReportDeliveryDto)
  delivery?: ReportDeliveryDto;
}

/** PATCH: any subset. `delivery: null` removes the webhook; `paused` pauses or resumes. */
export class UpdateScheduleDto {
  @ApiPropertyOptional({ enum: REPORT_TYPES }) @IsOptional() @IsIn(REPORT_TYPES) type?: ReportType;
  @ApiPropertyOptional({ example: '0 8 * * 0' }) @IsOptional() @IsString() @MaxLength(100) cron?: string;
  @ApiPropertyOptional({ example: 'Asia/Riyadh' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  timezone?: string;
  @ApiPropertyOptional({ enum: REPORT_FORMATS }) @IsOptional() @IsIn(REPORT_FORMATS) format?: ReportFormat;
  @ApiPropertyOptional({ enum: REPORT_LANGUAGES })
  @IsOptional()
  @IsIn(REPORT_LANGUAGES)
  language?: ReportLanguage;

  @ApiPropertyOptional({ type: ReportFiltersDto, description: 'replaces the filters' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReportFiltersDto)
  filters?: ReportFiltersDto;

  @ApiPropertyOptional({ type: ReportDeliveryDto, nullable: true })
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReportDeliveryDto)
  delivery?: ReportDeliveryDto | null;

  @ApiPropertyOptional({ example: false }) @IsOptional() @IsBoolean() paused?: boolean;
}
