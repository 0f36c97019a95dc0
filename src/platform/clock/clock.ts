import { Injectable } from '@nestjs/common';

/**
 * The time of day, behind an adapter so tests can fix "now" (relative-date segment rules,
 * run timestamps): `jest.spyOn(app.get(Clock), 'now').mockReturnValue(new Date(...))`.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  /** `now()` as ISO-8601 UTC text, the form times are stored in. */
  iso(): string {
    return this.now().toISOString();
  }
}
