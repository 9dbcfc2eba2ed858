package io.caucus.eventstore;

import io.caucus.eventstore.storage.StoragePort;
import java.util.Map;

/**
 * Token-at-timestamp index: for every full page of {@link #PAGE} tokens, the running maximum of
 * event timestamps up to the page's end, under meta key {@code time/<page>}. Page records depend
 * only on the events, so writing one twice (after a crash) writes the same value. The running
 * maximum of the current, partial page lives in memory and is recomputed on open.
 *
 * <p>Thread safety: {@link #onEvent} and {@link #recover} from the applying thread only; {@link
 * #tokenAt} from any thread.
 */
final class TimeIndex {

  static final int PAGE = 256;

  private final StoragePort storage;
  private long runningMax = Long.MIN_VALUE;

  TimeIndex(StoragePort storage) {
    this.storage = storage;
  }

  static String key(long page) {
    return "time/" + page;
  }

  long pageMax(long page) {
    byte[] v = storage.meta().get(key(page));
    if (v == null) {
      throw new StorageFailureException("Time index page " + page + " is missing");
    }
    return new ByteReader(v).getLong();
  }

  /**
   * Recomputes the running maximum for a store whose next token is {@code nextToken} and whose
   * first held token is {@code firstToken}.
   */
  void recover(long nextToken, long firstToken) {
    long page = nextToken / PAGE;
    runningMax = page > 0 ? pageMax(page - 1) : Long.MIN_VALUE;
    for (long t = Math.max(page * PAGE, firstToken); t < nextToken; t++) {
      byte[] v = storage.events().get(t);
      if (v != null) {
        runningMax = Math.max(runningMax, StoredRecord.decode(v).event().timestamp());
      }
    }
  }

  /**
   * Accounts for the event at {@code token}; when it completes a page, adds the page record to
   * {@code metaWrites}.
   */
  void onEvent(long token, long timestamp, Map<String, byte[]> metaWrites) {
    runningMax = Math.max(runningMax, timestamp);
    if ((token + 1) % PAGE == 0) {
      metaWrites.put(key(token / PAGE), new ByteWriter(8).putLong(runningMax).toByteArray());
    }
  }

  long runningMax() {
    return runningMax;
  }

  void reset(long value) {
    runningMax = value;
  }

  /** See {@link EventStoreReader#tokenAt}; {@code first..next-1} is the readable range. */
  long tokenAt(long timestamp, long firstToken, long nextToken) {
    if (nextToken == 0) {
      return -1;
    }
    long fullPages = nextToken / PAGE;
    long lo = 0;
    long hi = fullPages; // first page whose running max >= timestamp, or fullPages if none
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (pageMax(mid) >= timestamp) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    long page = lo;
    long running = page > 0 ? pageMax(page - 1) : Long.MIN_VALUE;
    long start = page * PAGE;
    long end = Math.min(nextToken, start + PAGE);
    if (start < firstToken) {
      // The page's earlier events are gone; the answer cannot be below the first held token.
      start = Math.min(firstToken, end);
    }
    for (long t = start; t < end; t++) {
      byte[] v = storage.events().get(t);
      if (v == null) {
        continue; // removed by retention meanwhile
      }
      running = Math.max(running, StoredRecord.decode(v).event().timestamp());
      if (running >= timestamp) {
        return Math.max(t, firstToken);
      }
    }
    return page < fullPages ? Math.max(page * PAGE, firstToken) : nextToken;
  }
}
