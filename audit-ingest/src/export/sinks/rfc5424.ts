import type { ExportSeverity } from '../export-record.ts';

/** RFC 5424 severities: the more the gateway had to act, the higher. */
export const SYSLOG_SEVERITY: Record<ExportSeverity, number> = { informational: 6, low: 5, medium: 4, high: 3 };

export interface SyslogMessage {
  /** 0–23; 13 is "log audit". */
  facility: number;
  severity: number;
  timeMs: number;
  hostname: string;
  appName: string;
  msgId: string;
  /** `[id param="value" …]` elements, already formatted; see structuredDataElement. */
  structuredData: string[];
  msg: string;
}

/** `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG` (RFC 5424 §6). */
export function formatSyslogMessage(message: SyslogMessage): string {
  const pri = message.facility * 8 + message.severity;
  const sd = message.structuredData.length > 0 ? message.structuredData.join('') : '-';
  return [
    `<${pri}>1`,
    new Date(message.timeMs).toISOString(),
    headerField(message.hostname, 255),
    headerField(message.appName, 48),
    '-',
    headerField(message.msgId, 32),
    sd,
    message.msg,
  ].join(' ');
}

/** One SD-ELEMENT; param values escape `"`, `\` and `]` (RFC 5424 §6.3.3). */
export function structuredDataElement(id: string, params: Record<string, string>): string {
  const pairs = Object.entries(params).map(([name, value]) => ` ${name}="${value.replace(/["\\\]]/g, (char) => `\\${char}`)}"`);
  return `[${id}${pairs.join('')}]`;
}

/** Octet-counting framing for syslog over TCP (RFC 6587 §3.4.1): `MSG-LEN SP SYSLOG-MSG`. */
export function octetCountedFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

/** Header fields are printable US-ASCII without spaces, of a bounded length; "-" when empty. */
function headerField(value: string, maxLength: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
  return printable === '' ? '-' : printable;
}
