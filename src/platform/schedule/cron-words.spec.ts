import { validateCronExpression } from 'cron';
import { cronProblemInWords } from './cron-words';

const words = (cron: string) =>
  cronProblemInWords(cron, validateCronExpression(cron).error?.message);

describe('cronProblemInWords', () => {
  it('names the word taken for a month or weekday name, not the library alias', () => {
    expect(words('every day')).toBe('"every" is not a month or weekday name (jan–dec, sun–sat)');
  });

  it('counts the parts of an expression with too few or too many', () => {
    expect(words('0 3 *')).toBe('it has 3 parts');
    expect(words('0 0 3 * * * *')).toBe('it has 7 parts');
  });

  it('names the part out of range or unreadable by its unit', () => {
    expect(words('0 25 * * *')).toBe('25 is out of range for its part');
    expect(words('*/0 * * * *')).toBe('its minute part cannot be read');
  });
});
