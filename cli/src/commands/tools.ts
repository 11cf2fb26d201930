import { userInfo } from 'node:os';
import path from 'node:path';
import { createPinStore, type PinFile } from '../../../gateway/src/index.ts';
import type { Command } from '../command.ts';
import { loadConfigFor } from '../config/load-settings.ts';
import { parseCommandArgs, UsageError } from '../parse-args.ts';

function pendingOf(pins: PinFile) {
  return Object.entries(pins.pins).flatMap(([key, pin]) => (pin.pending ? [{ key, pin, pending: pin.pending }] : []));
}

export const toolsCommand: Command = {
  name: 'tools',
  summary: 'Tool pinning: list changed tool definitions and approve them (tools pending|approve)',
  help: `
Usage: gatehouse tools pending [--config FILE] [--format table|json]
       gatehouse tools approve <portal>/<server>/<tool> ... | --all [--config FILE]

The gateway approves each upstream tool's first definition and keeps its fingerprint (name,
description, input and output schemas, annotations). When an upstream later serves a different
definition, the tool is withheld from clients (unless gateway.tool_pinning.on_change is allow)
and the change is audited with a summary, until it is approved here.

pending   lists each changed tool with what changed and when it was first seen
approve   approves the pending definition of the tools named (or --all); a running gateway
          offers them again at the next tools/list, without a restart

The pins file is gateway.tool_pinning.file (default ./data/tool-pins.json).
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { config: { type: 'string' }, format: { type: 'string', default: 'table' }, all: { type: 'boolean', default: false } }, true);
    const [subcommand, ...names] = positionals;
    const { config, baseDir } = await loadConfigFor(io, values.config, true);
    if (config.gateway.tool_pinning.mode === 'off') {
      io.stderr.write('gatehouse tools: tool pinning is off in this config (gateway.tool_pinning.mode: off)\n');
      return 1;
    }
    const store = createPinStore(path.resolve(baseDir, config.gateway.tool_pinning.file));

    if (subcommand === 'pending') {
      const pending = pendingOf(store.read());
      if (values.format === 'json') {
        for (const { key, pin, pending: change } of pending) {
          io.stdout.write(`${JSON.stringify({ tool: key, approved_fingerprint: pin.approved_fingerprint, pending_fingerprint: change.fingerprint, changes: change.summary, seen_at: change.seen_at })}\n`);
        }
      } else if (pending.length === 0) {
        io.stdout.write('No changed tool definitions are waiting for approval.\n');
      } else {
        for (const { key, pending: change } of pending) io.stdout.write(`${key}  (seen ${change.seen_at})\n  ${change.summary.join('\n  ')}\n`);
      }
      return 0;
    }

    if (subcommand === 'approve') {
      if (names.length === 0 && !values.all) throw new UsageError('name the tools to approve as <portal>/<server>/<tool>, or pass --all');
      const approver = `${userInfo().username} (gatehouse tools approve)`;
      const unknown: string[] = [];
      const approved: string[] = [];
      store.update((pins) => {
        const wanted = values.all ? pendingOf(pins).map((entry) => entry.key) : names;
        for (const key of wanted) {
          const pin = pins.pins[key];
          if (!pin?.pending) {
            unknown.push(key);
            continue;
          }
          pins.pins[key] = { approved_fingerprint: pin.pending.fingerprint, approved_definition: pin.pending.definition, approved_at: new Date().toISOString(), approved_by: approver };
          approved.push(key);
        }
      });
      for (const key of approved) io.stdout.write(`approved ${key}\n`);
      if (unknown.length > 0) {
        io.stderr.write(`gatehouse tools: nothing pending for ${unknown.join(', ')}; see "gatehouse tools pending"\n`);
        return 1;
      }
      return 0;
    }
    throw new UsageError('expected "tools pending" or "tools approve"');
  },
};
