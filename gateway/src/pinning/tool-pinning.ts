import type { Tool } from '@modelcontextprotocol/server';
import type { Clock } from '../../../events/src/index.ts';
import { pinKey, type PinStore } from './pin-store.ts';
import { definitionChanges, fingerprintOf, pinnedDefinition } from './tool-fingerprint.ts';

export type PinStatus = 'approved' | 'withheld' | 'allowed';

export interface DefinitionChange {
  portal: string;
  server: string;
  tool: string;
  approvedFingerprint: string;
  newFingerprint: string;
  summary: string[];
  action: 'withheld' | 'allowed';
}

/**
 * Tool pinning against rug pulls: the first definition seen of each tool is approved (trust on
 * first use); a later, different definition is recorded as pending and reported once, and the
 * tool is withheld until `gatehouse tools approve` (or offered anyway when `onChange` is allow).
 */
export function createToolPinning(options: { store: PinStore; onChange: 'withhold' | 'allow'; clock: Clock; report: (change: DefinitionChange) => void }) {
  const { store, clock } = options;
  const fingerprints = new WeakMap<Tool, string>();
  const fingerprint = (tool: Tool) => {
    let value = fingerprints.get(tool);
    if (!value) {
      value = fingerprintOf(pinnedDefinition(tool));
      fingerprints.set(tool, value);
    }
    return value;
  };

  return {
    /** Records the tools an upstream now lists: approves new ones, notes changed ones. */
    observe(portal: string, server: string, tools: Tool[]): void {
      const now = new Date(clock.now()).toISOString();
      const reports: DefinitionChange[] = [];
      store.update((file) => {
        for (const tool of tools) {
          const key = pinKey(portal, server, tool.name);
          const current = fingerprint(tool);
          const pin = file.pins[key];
          if (!pin) {
            file.pins[key] = { approved_fingerprint: current, approved_definition: pinnedDefinition(tool), approved_at: now, approved_by: 'first use' };
          } else if (pin.approved_fingerprint === current) {
            delete pin.pending;
          } else if (pin.pending?.fingerprint !== current) {
            const summary = definitionChanges(pin.approved_definition as ReturnType<typeof pinnedDefinition>, pinnedDefinition(tool));
            pin.pending = { fingerprint: current, definition: pinnedDefinition(tool), summary, seen_at: now };
            const action = options.onChange === 'allow' ? 'allowed' : 'withheld';
            reports.push({ portal, server, tool: tool.name, approvedFingerprint: pin.approved_fingerprint, newFingerprint: current, summary, action });
          }
        }
      });
      for (const report of reports) options.report(report);
    },

    /** The pin status of a portal's tools, read from the store once for one request. */
    statusIn(portal: string): (server: string, tool: Tool) => PinStatus {
      const pins = store.read().pins;
      return (server, tool) => {
        const pin = pins[pinKey(portal, server, tool.name)];
        if (!pin || pin.approved_fingerprint === fingerprint(tool)) return 'approved';
        return options.onChange === 'allow' ? 'allowed' : 'withheld';
      };
    },
  };
}

export type ToolPinning = ReturnType<typeof createToolPinning>;
