import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { csrfRefused } from './csrf';
import { PeopleSignInService, SIGN_IN_MS } from './people-sign-in.service';
import { Public } from './public.decorator';
import { SessionsService } from './sessions.service';
import { cookieOptions, readCookie, SESSION_COOKIE, SIGN_IN_COOKIE } from './session-cookie';
import { SignInEvents } from './sign-in-events';

/**
 * The browser side of people signing in (outside `/api`: these answer redirects, not JSON).
 * Public: they are how a person gets a session.
 */
@ApiTags('auth')
@Public()
@Controller('auth')
export class PeopleSignInController {
  constructor(
    private readonly signIn: PeopleSignInService,
    private readonly sessions: SessionsService,
    private readonly events: SignInEvents,
  ) {}

  @Get('sign-in')
  @ApiOperation({ summary: 'Starts a sign-in with Entra ID: redirects to the sign-in page' })
  async start(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { url, pending } = await this.signIn.start(`${req.protocol}://${req.get('host')}`);
    res.cookie(SIGN_IN_COOKIE, pending, cookieOptions(req, { path: '/auth', maxAge: SIGN_IN_MS }));
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, url);
  }

  /** Where Entra ID sends the browser back; not an API a client calls. */
  @Get('callback')
  @ApiExcludeEndpoint()
  async callback(
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const result = await this.signIn.complete(query, readCookie(req, SIGN_IN_COOKIE), req.ip);
    res.clearCookie(SIGN_IN_COOKIE, cookieOptions(req, { path: '/auth' }));
    res.setHeader('Cache-Control', 'no-store');
    if (result.outcome !== 'signed-in') {
      res.redirect(302, `/sign-in?error=${result.outcome}`);
      return;
    }
    res.cookie(SESSION_COOKIE, result.sessionId, cookieOptions(req));
    res.redirect(302, '/');
  }

  @Post('sign-out')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Ends the session of the cookie (needs the X-CSRF-Token header of GET /api/me)',
  })
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const id = readCookie(req, SESSION_COOKIE);
    const session = id ? await this.sessions.resolve(id) : null;
    if (id && session) {
      if (!this.sessions.csrfMatches(session, req.get('x-csrf-token'))) throw csrfRefused();
      await this.sessions.end(id);
      this.events.emit({
        outcome: 'signed-out',
        principal: { kind: 'user', id: session.oid, name: session.name, role: session.role },
        at: new Date(),
        ip: req.ip,
      });
    }
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
  }
}
