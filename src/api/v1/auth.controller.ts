import { Body, Controller, Get, HttpCode, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LoginDto, MeDto, UpdateMeDto } from '../../auth/auth.dto';
import { AuthService } from '../../auth/auth.service';
import { clearSessionCookie, SESSION_COOKIE, sessionToken, setSessionCookie } from '../../auth/cookies';
import type { RequestAuth } from '../../auth/request-auth';
import { SessionsService } from '../../auth/sessions.service';
import { DomainError } from '../../shared/errors';
import { ApiKeyGuard, csrfMatches, CurrentAuth, ViewerMayWrite } from '../../tenancy/auth.guard';
import { ErrorDto, ValidationErrorDto } from './dto';

const addressOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

const CSRF_HEADER = {
  name: 'X-CSRF-Token',
  required: false,
  description: 'the csrfToken of the session (required with a session cookie)',
};

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in with an email and password: a session cookie (harakah_session) and the CSRF token',
    description:
      `Sets \`${SESSION_COOKIE}\` (HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS). A wrong password, an ` +
      'unknown email and a disabled user all get the same 401. Refused logins are throttled per account ' +
      'and per address (429 with Retry-After, even for the right password).',
  })
  @ApiOkResponse({ type: MeDto })
  @ApiResponse({ status: 401, type: ErrorDto, description: 'invalid_credentials' })
  @ApiResponse({ status: 403, type: ErrorDto, description: 'tenant_suspended' })
  @ApiResponse({ status: 422, type: ValidationErrorDto })
  @ApiResponse({ status: 429, type: ErrorDto, description: 'too many refused logins' })
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { me, token } = await this.auth.login(dto.email, dto.password, addressOf(req));
    setSessionCookie(req, res, token);
    res.setHeader('Cache-Control', 'no-store');
    return me;
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'End the session at once and clear its cookie',
    description:
      'Needs X-CSRF-Token while the session is valid; without a valid session it is a 204 all the same.',
  })
  @ApiHeader(CSRF_HEADER)
  @ApiCookieAuth()
  @ApiNoContentResponse()
  @ApiResponse({ status: 403, type: ErrorDto, description: 'csrf_required' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = sessionToken(req);
    if (token) {
      // a suspended tenant's session may still log out
      const session = await this.sessions.authenticate(token).catch(() => null);
      if (session && !csrfMatches(req.headers['x-csrf-token'], session.csrfToken)) {
        throw new DomainError('csrf_required', 'logging out needs the X-CSRF-Token header of the session');
      }
      await this.sessions.end(token);
    }
    clearSessionCookie(req, res);
  }

  @Get('me')
  @UseGuards(ApiKeyGuard)
  @ApiBearerAuth('apiKey')
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Who is calling: the user (null for an API key), role, tenant and CSRF token' })
  @ApiOkResponse({ type: MeDto })
  @ApiResponse({ status: 401, type: ErrorDto })
  me(@CurrentAuth() auth: RequestAuth, @Res({ passthrough: true }) res: Response) {
    res.setHeader('Cache-Control', 'no-store');
    return this.auth.me(auth);
  }

  @Patch('me')
  @UseGuards(ApiKeyGuard)
  @ViewerMayWrite()
  @ApiCookieAuth()
  @ApiHeader(CSRF_HEADER)
  @ApiOperation({
    summary: 'Change your own locale, name or password (viewers too)',
    description:
      'A new password needs currentPassword and ends your other sessions. Needs a session, not a key.',
  })
  @ApiOkResponse({ type: MeDto })
  @ApiResponse({ status: 401, type: ErrorDto })
  @ApiResponse({ status: 403, type: ErrorDto, description: 'csrf_required, or an API key (no user)' })
  @ApiResponse({ status: 422, type: ValidationErrorDto })
  updateMe(@CurrentAuth() auth: RequestAuth, @Body() dto: UpdateMeDto, @Req() req: Request) {
    return this.auth.updateMe(auth, dto, addressOf(req));
  }
}
