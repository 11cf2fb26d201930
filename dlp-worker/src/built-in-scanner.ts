import { builtInDetectors } from './detectors/index.ts';
import { createTextScanner, type TextScanner } from './text-scanner.ts';

let compiled: TextScanner | undefined;

/**
 * The scanner over the built-in detectors, compiled on first use and then shared: it holds only
 * compiled expressions, and scans run synchronously, so sharing it cannot mix state between scans.
 */
export function builtInTextScanner(): TextScanner {
  compiled ??= createTextScanner(builtInDetectors);
  return compiled;
}
