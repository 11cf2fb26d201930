import { connect, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { ExportError } from '../export-errors.ts';
import type { ExportItem, ExportSink } from './export-sink.ts';
import { formatSyslogMessage, octetCountedFrame, structuredDataElement, SYSLOG_SEVERITY } from './rfc5424.ts';

export interface SyslogSinkOptions {
  host: string;
  port: number;
  /** Default 13 (log audit). */
  facility?: number;
  appName?: string;
  productVersion: string;
  connectTimeoutMs?: number;
  logger: Logger;
}

/**
 * Pushes each record as one RFC 5424 message over TCP with octet-counting framing (RFC 6587),
 * which rsyslog, syslog-ng and SIEM collectors accept. Syslog over TCP has no acknowledgement:
 * a page counts as delivered once the kernel took it, so a receiver that dies with messages in its
 * socket buffer loses them. The connection is opened on first use and again after any error.
 */
export function createSyslogSink(options: SyslogSinkOptions): ExportSink {
  const facility = options.facility ?? 13;
  const appName = options.appName ?? 'gatehouse';
  const origin = structuredDataElement('origin', { software: 'Gatehouse', swVersion: options.productVersion });
  let socket: Socket | undefined;

  const open = () =>
    new Promise<Socket>((resolve, reject) => {
      const opened = connect({ host: options.host, port: options.port, timeout: options.connectTimeoutMs ?? 10_000 });
      const fail = (error: Error) => {
        opened.destroy();
        reject(error);
      };
      opened.once('error', fail);
      opened.once('timeout', () => fail(new Error('connection timed out')));
      opened.once('connect', () => {
        opened.off('error', fail);
        opened.setTimeout(0);
        // A receiver that goes away is noticed here and reconnected on the next page.
        opened.on('error', (error) => options.logger.warn({ err: error, sink: 'syslog' }, 'syslog connection failed'));
        opened.once('close', () => {
          if (socket === opened) socket = undefined;
        });
        resolve(opened);
      });
    });

  const frame = ({ record, line }: ExportItem) =>
    octetCountedFrame(
      formatSyslogMessage({
        facility,
        severity: SYSLOG_SEVERITY[record.severity],
        timeMs: record.row.time_ms,
        hostname: record.row.gateway,
        appName,
        msgId: record.kind === 'finding' ? 'dlp.finding' : record.row.type,
        structuredData: [origin],
        msg: line,
      }),
    );

  return {
    name: 'syslog',
    async deliver(items) {
      if (items.length === 0) return;
      try {
        socket ??= await open();
        const target = socket;
        await new Promise<void>((resolve, reject) => target.write(Buffer.concat(items.map(frame)), (error) => (error ? reject(error) : resolve())));
      } catch (error) {
        socket?.destroy();
        socket = undefined;
        throw new ExportError('GH_ERR_EXPORT_DELIVERY_FAILED', `syslog receiver ${options.host}:${options.port}: ${(error as Error).message}`);
      }
    },
    async close() {
      const current = socket;
      socket = undefined;
      if (!current) return;
      await new Promise<void>((resolve) => current.end(resolve));
    },
  };
}
