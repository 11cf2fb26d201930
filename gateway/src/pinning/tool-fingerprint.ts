import { createHash } from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/server';

/** The parts of a tool definition a model reads and acts on; a change to any of them is a change of tool. */
export type PinnedDefinition = {
  name: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: unknown;
};

export function pinnedDefinition(tool: Tool): PinnedDefinition {
  return {
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema !== undefined ? { outputSchema: tool.outputSchema } : {}),
    ...(tool.annotations !== undefined ? { annotations: tool.annotations } : {}),
  };
}

/** JSON with object keys sorted, so the same definition always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function fingerprintOf(definition: PinnedDefinition): string {
  return `sha256:${createHash('sha256').update(canonical(definition)).digest('hex')}`;
}

const propertiesOf = (schema: unknown): Record<string, unknown> =>
  schema && typeof schema === 'object' && (schema as { properties?: unknown }).properties && typeof (schema as { properties: unknown }).properties === 'object'
    ? ((schema as { properties: Record<string, unknown> }).properties ?? {})
    : {};
const requiredOf = (schema: unknown): string[] =>
  schema && typeof schema === 'object' && Array.isArray((schema as { required?: unknown }).required) ? ((schema as { required: string[] }).required ?? []) : [];

/** What changed between an approved definition and a new one, in words an administrator reviews. */
export function definitionChanges(approved: PinnedDefinition, current: PinnedDefinition): string[] {
  const changes: string[] = [];
  if (approved.description !== current.description) changes.push('description changed');
  const before = propertiesOf(approved.inputSchema);
  const after = propertiesOf(current.inputSchema);
  for (const name of Object.keys(after)) if (!(name in before)) changes.push(`input property "${name}" added`);
  for (const name of Object.keys(before)) if (!(name in after)) changes.push(`input property "${name}" removed`);
  for (const name of Object.keys(after)) {
    if (name in before && canonical(before[name]) !== canonical(after[name])) changes.push(`input property "${name}" changed`);
  }
  if (canonical([...requiredOf(approved.inputSchema)].sort()) !== canonical([...requiredOf(current.inputSchema)].sort())) changes.push('required inputs changed');
  const known = new Set(['properties', 'required']);
  const rest = (schema: unknown) => (schema && typeof schema === 'object' ? Object.fromEntries(Object.entries(schema).filter(([key]) => !known.has(key))) : schema);
  if (canonical(rest(approved.inputSchema)) !== canonical(rest(current.inputSchema))) changes.push('input schema changed');
  if (canonical(approved.outputSchema) !== canonical(current.outputSchema)) changes.push('output schema changed');
  if (canonical(approved.annotations) !== canonical(current.annotations)) changes.push('annotations changed');
  return changes.length > 0 ? changes : ['definition changed'];
}
