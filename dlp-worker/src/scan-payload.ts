import type { Finding } from '../../events/src/index.ts';
import { builtInTextScanner } from './built-in-scanner.ts';
import { ROOT_PATH, indexPath, jsonKindOf, keyPath, memberPath, unscannable } from './json-path.ts';
import { actionFor, type DlpProfile } from './profile.ts';
import type { TextMatch, TextScanner } from './text-scanner.ts';

/**
 * Finds what the profile's detectors match in every string leaf, number leaf (as its decimal
 * text: a card number sent as a JSON number is still a card number) and object key of a JSON
 * value. Findings locate values by JSON path and offsets and never carry them.
 *
 * Throws a DlpError (GH_ERR_DLP_PAYLOAD_UNSCANNABLE) for a value JSON cannot hold.
 */
export function scanPayload(
  payload: unknown,
  profile: DlpProfile,
  scanner: TextScanner = builtInTextScanner(),
): Finding[] {
  const enabled = new Set(scanner.detectors.map((d) => d.id).filter((id) => actionFor(profile, id) !== undefined));
  const findings: Finding[] = [];
  const ancestors = new Set<object>();

  const record = (matches: TextMatch[], path: string) => {
    matches.sort((a, b) => a.start - b.start || (a.detector.id < b.detector.id ? -1 : 1));
    for (const { detector, start, end } of matches) {
      findings.push({
        detector: detector.id,
        type: detector.type,
        path,
        start,
        end,
        confidence: detector.confidence,
        action: actionFor(profile, detector.id)!,
      });
    }
  };

  const walk = (value: unknown, path: string, depth: number): void => {
    const kind = jsonKindOf(value, depth);
    if (kind === 'string' || kind === 'number') {
      record(scanner.scanText(String(value), enabled), path);
      return;
    }
    if (kind === 'skip') return;
    const container = value as object;
    if (ancestors.has(container)) throw unscannable('it contains a cycle');
    ancestors.add(container);
    if (kind === 'array') {
      const items = container as unknown[];
      for (let i = 0; i < items.length; i++) walk(items[i], indexPath(path, i), depth + 1);
    } else {
      Object.entries(container).forEach(([key, child], position) => {
        const keyMatches = scanner.scanText(key, enabled);
        const member = memberPath(path, key, position, keyMatches.length > 0);
        if (keyMatches.length > 0) record(keyMatches, keyPath(member));
        walk(child, member, depth + 1);
      });
    }
    ancestors.delete(container);
  };

  walk(payload, ROOT_PATH, 0);
  return findings;
}
