import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'audience-sync:public';

/** Marks a route that needs no API token (the health check). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
