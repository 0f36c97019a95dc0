import { composeNormalizers, NORMALIZERS, valueText } from './normalizers';

describe('normalizers', () => {
  it('trim, lowercase and collapseWhitespace do one thing each', () => {
    expect(NORMALIZERS.trim('  Ann  Lee \t')).toBe('Ann  Lee');
    expect(NORMALIZERS.lowercase('ÀNN Lee')).toBe('ànn lee');
    expect(NORMALIZERS.collapseWhitespace(' Ann \t\n Lee ')).toBe(' Ann Lee ');
  });

  it('removeDiacritics drops marks and folds letters that do not decompose', () => {
    expect(NORMALIZERS.removeDiacritics('Chloé Müller-Øster')).toBe('Chloe Muller-Oster');
    expect(NORMALIZERS.removeDiacritics('Łódź straße Æsir')).toBe('Lodz strasse AEsir');
    // Decomposed input (e + combining acute) gives the same result as composed input.
    expect(NORMALIZERS.removeDiacritics('Chloe\u0301')).toBe('Chloe');
  });

  it('digitsOnly keeps ASCII digits, folding full-width ones', () => {
    expect(NORMALIZERS.digitsOnly('+1 (415) 555-0123')).toBe('14155550123');
    expect(NORMALIZERS.digitsOnly('４１５.555')).toBe('415555');
    expect(NORMALIZERS.digitsOnly('n/a')).toBe('');
  });

  it('alphanumeric keeps letters and digits of any script', () => {
    expect(NORMALIZERS.alphanumeric("O'Brien-Smith 3rd")).toBe('OBrienSmith3rd');
    expect(NORMALIZERS.alphanumeric('Zoë Åström')).toBe('ZoëÅström');
  });

  it('email is trimmed and lower case, nothing more', () => {
    expect(NORMALIZERS.email('  Ann.Lee+Shop@Example.COM ')).toBe('ann.lee+shop@example.com');
  });

  it('emailMailbox drops +tags everywhere and dots for Gmail only', () => {
    expect(NORMALIZERS.emailMailbox('Ann.Lee+shop@GoogleMail.com')).toBe('annlee@gmail.com');
    expect(NORMALIZERS.emailMailbox('ann.lee+shop@example.com')).toBe('ann.lee@example.com');
    expect(NORMALIZERS.emailMailbox('not-an-address')).toBe('not-an-address');
    expect(NORMALIZERS.emailMailbox('+tag@example.com')).toBe('+tag@example.com');
  });

  it('composes in the given order', () => {
    const fold = composeNormalizers([
      'trim',
      'collapseWhitespace',
      'lowercase',
      'removeDiacritics',
    ]);
    expect(fold('  Chloé   DUPONT ')).toBe('chloe dupont');
    expect(composeNormalizers([])('  x ')).toBe('  x ');
    expect(composeNormalizers(['collapseWhitespace'])('  a  ')).toBe(' a ');
  });

  it('compares numbers, dates and booleans by their canonical text', () => {
    expect(valueText(12.5)).toBe('12.5');
    expect(valueText(true)).toBe('true');
    expect(valueText('2024-01-02T00:00:00.000Z')).toBe('2024-01-02T00:00:00.000Z');
    expect(valueText(undefined)).toBe('');
  });
});
