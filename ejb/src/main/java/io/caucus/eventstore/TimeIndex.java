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
  private final EventLog events;
  private long runningMax = Long.MIN_VALUE;

  TimeIndex(StoragePort storage, EventLog events) {
    this.storage = storage;
    this.events = events;
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
    long[] max = {page > 0 ? pageMax(page - 1) : Long.MIN_VALUE};
    events.forEach(
        Math.max(page * PAGE, firstToken),
        nextToken,
        firstToken,
        (t, e) -> {
          max[0] = Math.max(max[0], e.timestamp());
          return true;
        });
    runningMax = max[0];
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
    long start = page * PAGE;
    long end = Math.min(nextToken, start + PAGE);
    if (start < firstToken) {
      // The page's earlier events are gone; the answer cannot be below the first held token.
      start = Math.min(firstToken, end);
    }
    long[] running = {page > 0 ? pageMax(page - 1) : Long.MIN_VALUE};
    long[] found = {-1};
    events.forEach(
        start,
        end,
        firstToken,
        (t, e) -> {
          running[0] = Math.max(running[0], e.timestamp());
          if (running[0] >= timestamp) {
            found[0] = t;
            return false;
          }
          return true;
        });
    if (found[0] >= 0) {
      return Math.max(found[0], firstToken);
    }
    return page < fullPages ? Math.max(page * PAGE, firstToken) : nextToken;
  }
}
