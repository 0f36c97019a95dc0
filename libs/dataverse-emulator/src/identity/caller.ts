/** Who a valid access token stands for, as the Dataverse side sees it. */
export interface CallerIdentity {
  kind: 'application' | 'user';
  /** Entra object id (service principal or user); the service-protection key. */
  oid: string;
  /** Client id of the app the token was issued to. */
  appId: string;
  /** Display name (user name or "<app> application user"). */
  name: string;
  /** User principal name, for user tokens. */
  username?: string;
  /** Dataverse systemuserid (WhoAmI's UserId). */
  systemUserId: string;
}

/** Why a bearer token was refused (the Dataverse side answers 401). */
export class AuthFailure extends Error {
  constructor(
    readonly reason: 'missing' | 'expired' | 'signature' | 'audience' | 'issuer' | 'malformed',
    message: string,
  ) {
    super(message);
  }
}
