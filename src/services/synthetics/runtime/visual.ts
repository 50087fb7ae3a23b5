/**
 * Visual monitoring: a screenshot is compared with the base run's screenshot of the same name
 * (pixelmatch), skipping the base screenshot's IgnoreCoordinates; the variance is the share of
 * compared pixels that differ. Over the threshold percentage the comparison fails; a diff image
 * with the differences in the highlight colour is written either way.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPixelmatch, loadPng } from './deps.ts';
import { comparedPixels, ignoreMask, parseIgnoreCoordinates, type Rect } from './ignore-coordinates.ts';

export interface VisualResult {
  /** False when the base run has no screenshot of that name (nothing to compare with). */
  compared: boolean;
  variancePercent: number;
  failed: boolean;
  /** PNG bytes of the diff image, when a comparison ran. */
  diffPng?: Buffer;
  message: string;
}

export interface VisualInput {
  png: Buffer;
  fileName: string;
  baseArtifactDir: string;
  ignoreCoordinates: readonly string[];
  thresholdPercent: number;
  highlightHex: string;
}

/** `#fafa00` / `fafa00` → [250, 250, 0]; AWS's default yellow for anything unreadable. */
export function hexColor(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  const v = m ? parseInt(m[1]!, 16) : 0xfafa00;
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export async function compareWithBase(input: VisualInput): Promise<VisualResult> {
  const basePath = join(input.baseArtifactDir, input.fileName);
  if (!existsSync(basePath)) {
    return { compared: false, variancePercent: 0, failed: false, message: `No base screenshot ${input.fileName}; nothing to compare` };
  }
  const { PNG } = loadPng();
  const base = PNG.sync.read(readFileSync(basePath));
  const current = PNG.sync.read(input.png);
  if (base.width !== current.width || base.height !== current.height) {
    return {
      compared: true,
      variancePercent: 100,
      failed: true,
      message: `Screenshot ${input.fileName} is ${current.width}x${current.height}, its base is ${base.width}x${base.height}`,
    };
  }
  const rects = input.ignoreCoordinates.map(parseIgnoreCoordinates).filter((r): r is Rect => r !== undefined);
  const mask = ignoreMask(rects, base.width, base.height);
  const diff = new PNG({ width: base.width, height: base.height });
  const pixelmatch = await loadPixelmatch();
  const differing = pixelmatch(base.data, current.data, diff.data, base.width, base.height, {
    threshold: 0.1,
    diffColor: hexColor(input.highlightHex),
    ignoreMask: mask,
  });
  const total = comparedPixels(mask);
  const variancePercent = total === 0 ? 0 : Math.round((differing / total) * 10000) / 100;
  const failed = variancePercent > input.thresholdPercent;
  return {
    compared: true,
    variancePercent,
    failed,
    diffPng: PNG.sync.write(diff),
    message: `Visual variance of ${input.fileName} is ${variancePercent}% (threshold ${input.thresholdPercent}%)`,
  };
}
