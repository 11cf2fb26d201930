/**
 * The paths at which two configs differ, for the audit trail: arrays of named items (portals,
 * servers) are matched by name, so `portals[support].servers[crm].tools` says what changed in
 * words an administrator recognises. Never includes values: a config holds secret references.
 */
export function configChanges(before: unknown, after: unknown, path = '', depth = 0): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (depth >= 6 || !isObjectLike(before) || !isObjectLike(after) || Array.isArray(before) !== Array.isArray(after)) return [path || '(everything)'];
  if (Array.isArray(before) && Array.isArray(after)) {
    if (!before.every(isNamed) || !after.every(isNamed)) return [path];
    const names = [...new Set([...before, ...after].map((item) => item.name))];
    return names.flatMap((name) =>
      configChanges(before.find((item) => item.name === name), after.find((item) => item.name === name), `${path}[${name}]`, depth + 1),
    );
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap((key) =>
    configChanges((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1),
  );
}

function isObjectLike(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function isNamed(value: unknown): value is { name: string } {
  return isObjectLike(value) && typeof (value as { name?: unknown }).name === 'string';
}
