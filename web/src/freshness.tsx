import { useEffect, useRef, useState } from 'react';
import { get, onDataChange } from './api';
import { dateTime } from './format';
import { t } from './i18n';

interface Freshness {
  asOf: string;
  snapshotId: string | null;
  dataThrough: string;
  refreshedAt: string;
  refreshPending: boolean;
}

/** How often the chip asks, and how often while a refresh is pending. */
const POLL_MS = 30_000;
const PENDING_POLL_MS = 3_000;

/**
 * How fresh the figures on screen are (GET /v1/analytics/freshness): "data through …", "updating…"
 * while a refresh that will include newer imports is pending, and once a newer snapshot is published
 * than the one the page was shown from, a button that shows the page again with it.
 */
export function FreshnessChip({ shownAt, onReload }: { shownAt: string; onReload: () => void }) {
  const [f, setF] = useState<Freshness | null>(null);
  const shown = useRef<{ at: string; snapshotId: string | null } | null>(null);

  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      let next: Freshness | null = null;
      try {
        next = await get<Freshness>('/v1/analytics/freshness');
      } catch {
        // shown again at the next poll
      }
      if (stop) return;
      if (next) setF(next);
      timer = setTimeout(() => void poll(), next?.refreshPending ? PENDING_POLL_MS : POLL_MS);
    };
    void poll();
    const off = onDataChange(() => {
      clearTimeout(timer);
      void poll();
    });
    return () => {
      stop = true;
      off();
      clearTimeout(timer);
    };
  }, [shownAt]);

  if (!f) return null;
  // the snapshot the page was shown from: the first one seen since it was (re)shown
  if (shown.current?.at !== shownAt) shown.current = { at: shownAt, snapshotId: f.snapshotId };
  const newer =
    f.snapshotId !== null && shown.current.snapshotId !== null && f.snapshotId !== shown.current.snapshotId;
  const through = t('freshness.through', { time: dateTime(f.dataThrough) });
  if (newer && !f.refreshPending) {
    return (
      <span className="freshness" role="status">
        {t('freshness.newer')}{' '}
        <button type="button" className="link-button" onClick={onReload}>
          {t('freshness.show')}
        </button>
      </span>
    );
  }
  return (
    <span className="freshness" role="status" title={through}>
      {f.refreshPending ? `${t('freshness.pending')} · ${through}` : through}
    </span>
  );
}
