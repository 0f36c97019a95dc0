import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from './principal';

export class MeDoc {
  @ApiProperty({ enum: ['admin-token', 'api-token', 'user'] })
  kind!: string;

  @ApiProperty({ description: "'admin', the API token's id, or the person's Entra ID object id" })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;

  @ApiPropertyOptional({ description: "The person's user name (people only)" })
  username?: string;

  @ApiPropertyOptional({
    description:
      'People only: send it as the X-CSRF-Token header on every POST, PUT, PATCH and DELETE',
  })
  csrfToken?: string;
}

export class AuthConfigDoc {
  @ApiProperty({ description: 'Whether people can sign in with Entra ID' })
  peopleSignIn!: boolean;

  @ApiPropertyOptional({ description: 'Where the browser goes to sign in (when they can)' })
  signInUrl?: string;
}

/** What GET /api/me answers (documented by {@link MeDoc}). */
export interface MeView {
  kind: 'admin-token' | 'api-token' | 'user';
  id: string;
  name: string;
  role: string;
  username?: string;
  csrfToken?: string;
}

/** What GET /api/auth/config answers (documented by {@link AuthConfigDoc}). */
export interface AuthConfigView {
  peopleSignIn: boolean;
  signInUrl?: string;
}
