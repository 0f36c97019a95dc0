import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { AppError } from '@platform/errors/app-error';
import { checkUntrustedInput } from './untrusted-input';

/**
 * The first global pipe: every body, query string and path parameter a route reads passes
 * {@link checkUntrustedInput} before class-transformer and class-validator see it, so a body
 * nested too deep, a NUL character or a reserved key is a 400 naming where, on either store.
 * (Routes that read the request themselves, the CSV upload, check their own input.)
 */
export class UntrustedInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const root = metadata.type === 'param' ? (metadata.data ?? 'path') : (metadata.data ?? '');
    const problems = checkUntrustedInput(value, root);
    if (problems.length > 0) throw AppError.validationMany(problems);
    return value;
  }
}
