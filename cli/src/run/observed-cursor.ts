import type { CursorFile } from '../../../audit-ingest/src/export/index.ts';
import type { Metrics } from '../../../events/src/observability/index.ts';

/** A cursor file that also reports, per receiver, where the export stands once a page is taken. */
export function observedCursor(cursor: CursorFile, sink: string, metrics: Metrics): CursorFile {
  return {
    load: () => cursor.load(),
    async save(position) {
      await cursor.save(position);
      metrics.exportPages.inc({ sink });
      if (position) metrics.exportCursorSeconds.set({ sink }, position.ingestedAtMs / 1000);
    },
  };
}
