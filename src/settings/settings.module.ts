import { Global, Module } from '@nestjs/common';
import { SettingsController } from '../api/v1/settings.controller';
import { SettingsService } from './settings.service';

@Global()
@Module({ controllers: [SettingsController], providers: [SettingsService], exports: [SettingsService] })
export class SettingsModule {}
