import { Global, Module } from '@nestjs/common';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { SessionsService } from './sessions.service';
import { UsersService } from './users.service';

/** Users, sessions and login; global because ApiKeyGuard (in every feature module) reads sessions. */
@Global()
@Module({
  providers: [SessionsService, LoginThrottle, UsersService, AuthService],
  exports: [SessionsService, LoginThrottle, UsersService, AuthService],
})
export class AuthModule {}
