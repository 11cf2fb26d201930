import type { Detector } from '../detector.ts';
import { isPlaceholder } from '../validators/false-positive-shapes.ts';
import { delimited } from './pattern-parts.ts';

/** A credential recognized by its vendor prefix alone. */
export function prefixedToken(options: Omit<Detector, 'type' | 'pattern' | 'validate' | 'confidence'> & { token: string }): Detector {
  const { token, ...rest } = options;
  return { ...rest, type: 'credential', pattern: delimited(token, '[^A-Za-z0-9_.-]'), validate: (value) => !isPlaceholder(value.slice(4)), confidence: 0.97 };
}
