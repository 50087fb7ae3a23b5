// snappyjs 0.7 ships no types: the two functions Osprey calls (raw Snappy blocks).
declare module 'snappyjs' {
  export function compress(input: Buffer): Buffer;
  export function uncompress(input: Buffer, maxLength?: number): Buffer;
}
