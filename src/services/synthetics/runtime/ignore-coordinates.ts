/**
 * BaseScreenshot.IgnoreCoordinates: each string is four numbers matching AWS's pattern
 * `^(-?\d{1,5}\.?\d{0,2},){3}(-?\d{1,5}\.?\d{0,2}){1}$` — read as two opposite corners
 * `x1,y1,x2,y2` of a rectangle drawn on the base screenshot (AWS does not document the order;
 * corners in either order are accepted, which also covers a box drawn right-to-left).
 */
export const IGNORE_COORDINATES_PATTERN = /^(-?\d{1,5}\.?\d{0,2},){3}(-?\d{1,5}\.?\d{0,2}){1}$/;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The rectangle a coordinates string names; undefined when the string breaks AWS's pattern. */
export function parseIgnoreCoordinates(value: string): Rect | undefined {
  if (!IGNORE_COORDINATES_PATTERN.test(value)) return undefined;
  const [x1, y1, x2, y2] = value.split(',').map(Number) as [number, number, number, number];
  const x = Math.min(x1, x2);
  const y = Math.min(y1, y2);
  return { x, y, width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) };
}

/** One byte per pixel, 1 where a pixel lies in any ignored rectangle (clipped to the image). */
export function ignoreMask(rects: readonly Rect[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const r of rects) {
    const x0 = Math.max(0, Math.floor(r.x));
    const y0 = Math.max(0, Math.floor(r.y));
    const x1 = Math.min(width, Math.ceil(r.x + r.width));
    const y1 = Math.min(height, Math.ceil(r.y + r.height));
    for (let y = y0; y < y1; y++) mask.fill(1, y * width + x0, y * width + Math.max(x0, x1));
  }
  return mask;
}

/** Pixels left to compare once the mask is applied. */
export function comparedPixels(mask: Uint8Array): number {
  let n = 0;
  for (const v of mask) if (v === 0) n++;
  return n;
}
