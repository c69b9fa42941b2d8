import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';

/** PUT /v1/settings: any subset; omitted keys keep their value. `rfmWindowDays: null` means all history. */
export class UpdateSettingsDto {
  @ApiPropertyOptional({
    example: 365,
    nullable: true,
    description: 'RFM window for F and M, 30–3650 days; null = all history',
  })
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsInt()
  @Min(30)
  @Max(3650)
  rfmWindowDays?: number | null;

  @ApiPropertyOptional({ example: 90 }) @IsOptional() @IsInt() @Min(1) @Max(3650) newDays?: number;
  @ApiPropertyOptional({ example: 180 }) @IsOptional() @IsInt() @Min(1) @Max(3650) lapseDays?: number;
  @ApiPropertyOptional({ example: 0.3 }) @IsOptional() @IsNumber() @Min(0) @Max(1) pAliveThreshold?: number;
  @ApiPropertyOptional({ example: 30 }) @IsOptional() @IsInt() @Min(0) @Max(3650) paymentTermsDays?: number;

  @ApiPropertyOptional({
    example: '0.12',
    description: 'annual rate as a decimal string from 0 to 1 with at most 6 decimal places (0.12 = 12 %)',
  })
  @IsOptional()
  @Matches(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, {
    message:
      'annualCreditRate must be a decimal string from 0 to 1 with at most 6 decimal places, such as "0.12"',
  })
  annualCreditRate?: string;

  @ApiPropertyOptional({ example: 0.95 })
  @IsOptional()
  @IsNumber()
  @Min(0.5)
  @Max(0.9999)
  serviceLevel?: number;
  @ApiPropertyOptional({ example: 30 }) @IsOptional() @IsInt() @Min(0) @Max(365) coverDays?: number;
  @ApiPropertyOptional({ example: 90 }) @IsOptional() @IsInt() @Min(7) @Max(730) restockWindowDays?: number;
  @ApiPropertyOptional({ example: 14 }) @IsOptional() @IsInt() @Min(0) @Max(3650) leadTimeDays?: number;
}
