/** Helpers shared by the filter-pattern unit tests (one test file per pattern kind). */
import assert from 'node:assert/strict';
import { ServiceError } from '../../../protocol/errors.ts';
import { parseFilterPattern } from './parse.ts';
import { compileFilterPattern, type Extraction } from './match.ts';

export const isInvalidPattern = (e: unknown): boolean =>
  e instanceof ServiceError && e.code === 'InvalidParameterException' && e.message.startsWith('Invalid filter pattern: ');

export const matches = (pattern: string, message: string): boolean => compileFilterPattern(parseFilterPattern(pattern)).matches(message);
export const extract = (pattern: string, message: string): Extraction | undefined =>
  compileFilterPattern(parseFilterPattern(pattern)).extract(message);
export const rejects = (pattern: string, reason?: RegExp): void => {
  assert.throws(() => parseFilterPattern(pattern), (e: unknown) => isInvalidPattern(e) && (reason === undefined || reason.test((e as Error).message)));
};
