/** The file as a whole is refused (header, encoding, unparsable): nothing was stored. */
export class CsvFileError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'CsvFileError';
  }
}
