/** The EventBridge event-pattern engine (see event-pattern.ts). */
export { compileEventPattern, InvalidEventPattern, type CompiledPattern, type PatternKeys } from './event-pattern.ts';
export { PatternIndex } from './pattern-index.ts';
