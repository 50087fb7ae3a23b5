/**
 * A filter expression that cannot be evaluated. Pure (no wire knowledge): the X-Ray handlers turn
 * it into AWS's InvalidRequestException, and the console shows the message next to the search box.
 */
export class FilterExpressionError extends Error {
  constructor(readonly reason: string, readonly position: number) {
    super(`Invalid filter expression: ${reason} at position ${position + 1}`);
    this.name = 'FilterExpressionError';
  }
}
