package io.caucus.eventstore;

import io.caucus.error.ErrorCode;
import io.caucus.eventstore.storage.StoragePort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event store of one context over a {@link StoragePort}.
 *
 * <h2>How one apply writes, and why a crash anywhere is harmless</h2>
 *
 * <p>The storage has single-key atomicity only. An accepted event transaction at log index {@code
 * L} is written in this order:
 *
 * <ol>
 *   <li>full index chunks of the aggregates it extends, then their heads, each head stamped with
 *       {@code lastLogIndex = L};
 *   <li>the time-index and batch-page records it completes or starts;
 *   <li>last, its events as one batch under token {@code N} (the next token before {@code L}); the
 *       batch carries {@code L}. This single-key write is the entry's commit point.
 * </ol>
 *
 * Rejected entries and aggregate snapshots write the {@code state} record {@code (L, next token,
 * next snapshot ordinal)} as their last write; accepted transactions write it only every {@link
 * #STATE_RECORD_INTERVAL} entries (one key less per transaction). On open, the applied position is
 * the {@code state} record advanced over the batches found after its next token, each of which is a
 * committed entry. After a crash, the runner replays from the entry after that position. Why that
 * rebuilds exactly the uninterrupted state:
 *
 * <ul>
 *   <li>Every write of entry {@code L} precedes its commit point (batch or {@code state} record),
 *       which precedes every write of a later entry. So at most one entry, the first one after the
 *       recovered position, can be partly written; all earlier ones are complete, and none later
 *       has written anything.
 *   <li>Batches, chunks and pages of {@code L} are functions of the state after the entries before
 *       it and of {@code L}'s command (tokens are counted from the recovered next token): rewriting
 *       them writes the same bytes.
 *   <li>A head is rewritten whole. If it was already written by {@code L} it carries {@code
 *       lastLogIndex == L}: then it already includes {@code L}'s events, and the sequence check for
 *       that aggregate is skipped (a naive re-check would refuse {@code L} as a duplicate). This is
 *       sound because a head only gets {@code lastLogIndex == L} if {@code L} was accepted, and an
 *       accepted entry is accepted again on replay: every other aggregate's head is still in its
 *       state before {@code L}.
 *   <li>The in-memory running maximum of the time index is recomputed on open from the recovered
 *       next token.
 *   <li>A rejected entry's {@code state} record is written before any write of a later entry.
 *       Without it, a refused entry could be replayed on top of a later entry's partial writes and
 *       be judged against a state it never saw (the crash test found exactly that).
 * </ul>
 *
 * <p>Readers never see a half-applied entry's events: aggregate reads ignore references at or past
 * the published next token (a head may be written before its batch).
 *
 * <p>Retention moves the {@code retention} record first and removes whole batches afterwards, in
 * decreasing order; reopening finishes an interrupted removal by walking the batches left from the
 * recorded start of the removal.
 *
 * <p>Thread safety: see {@link ContextStateMachine}. The applied position and the retained range
 * are published through volatile fields after the writes they describe.
 */
public final class DefaultEventStore implements EventStore {

  private static final System.Logger LOG = System.getLogger(DefaultEventStore.class.getName());
  static final String STATE = "state";
  static final String RETENTION = "retention";
  static final String INSTALLING = "installing";

  /**
   * Accepted event entries between {@code state} records; opening walks at most this many batches
   * past the last one.
   */
  static final int STATE_RECORD_INTERVAL = 1000;

  private final String context;
  private final StoragePort storage;
  private final AggregateIndex aggregates;
  private final EventLog eventLog;
  private final TimeIndex timeIndex;
  private final Map<String, Long> confirmations = new ConcurrentHashMap<>();
  private final Object retentionLock = new Object();
  private int openSnapshotReads; // guarded by retentionLock

  private volatile AppliedPosition position;
  private int sinceStateRecord; // accepted event entries since the last state record (apply thread)
  private volatile RetainedRange retained;
  private volatile boolean failed;
  private volatile boolean installing;
  private volatile boolean closed;

  private DefaultEventStore(String context, StoragePort storage, AggregateIndex aggregates) {
    this.context = context;
    this.storage = storage;
    this.aggregates = aggregates;
    this.eventLog = new EventLog(storage);
    this.timeIndex = new TimeIndex(storage, eventLog);
  }

  /**
   * Opens the store of {@code context} over {@code storage}, recovering from whatever a crash left:
   * an interrupted snapshot install empties the store, an interrupted retention pass is finished.
   *
   * @throws StorageFailureException if the storage holds records this version cannot read
   */
  public static DefaultEventStore open(String context, StoragePort storage) {
    return open(context, storage, new AggregateIndex(storage));
  }

  /** With an aggregate index of another hash function: tests force hash collisions with it. */
  static DefaultEventStore open(
      String context, StoragePort storage, java.util.function.Function<String, String> hash) {
    return open(context, storage, new AggregateIndex(storage, hash));
  }

  private static DefaultEventStore open(
      String context, StoragePort storage, AggregateIndex aggregates) {
    DefaultEventStore store = new DefaultEventStore(context, storage, aggregates);
    store.load();
    return store;
  }

  void load() {
    try {
      if (storage.meta().get(INSTALLING) != null) {
        LOG.log(
            System.Logger.Level.WARNING,
            "Context {0}: a snapshot install was interrupted; emptying the store, the log or a new"
                + " snapshot must rebuild it",
            context);
        clearAll();
        StoreFormat.write(context, storage, StoreFormat.CURRENT);
        storage.meta().remove(INSTALLING);
      }
      aggregates.useFormat(StoreFormat.open(context, storage));
      byte[] state = storage.meta().get(STATE);
      AppliedPosition p = state == null ? AppliedPosition.EMPTY : AppliedPosition.decode(state);
      p = committedBatchesAfter(p);
      byte[] range = storage.meta().get(RETENTION);
      RetainedRange r = range == null ? RetainedRange.ALL : RetainedRange.decode(range);
      finishRemovals(r);
      timeIndex.recover(p.nextToken(), r.firstToken());
      retained = r;
      position = p;
      failed = false;
      installing = false;
      LOG.log(
          System.Logger.Level.INFO,
          "Context {0}: event store open, last applied index {1}, next token {2}",
          context,
          p.lastApplied(),
          p.nextToken());
    } catch (EncodingException e) {
      throw new StorageFailureException(
          "Context " + context + ": unreadable store record: " + e.getMessage(), e);
    }
  }

  /**
   * The position after the event batches written since the {@code state} record: each batch is the
   * last write of its entry, so its presence means the entry is complete.
   */
  private AppliedPosition committedBatchesAfter(AppliedPosition p) {
    long lastApplied = p.lastApplied();
    long next = p.nextToken();
    for (EventLog.Batch b = eventLog.batch(next); b != null; b = eventLog.batch(next)) {
      lastApplied = b.logIndex;
      next = b.end();
    }
    sinceStateRecord = 0;
    return new AppliedPosition(lastApplied, next, p.nextSnapshotOrdinal());
  }

  void clearAll() {
    storage.events().clear();
    storage.snapshots().clear();
    storage.aggregateChunks().clear();
    storage.aggregates().clear();
    List<String> keys;
    try (var entries = storage.meta().entries()) {
      keys = entries.map(Map.Entry::getKey).filter(k -> !k.equals(INSTALLING)).toList();
    }
    for (String k : keys) {
      storage.meta().remove(k);
    }
  }

  /** Finishes a removal interrupted by a crash (batches go in descending order, see below). */
  private void finishRemovals(RetainedRange r) {
    long key = r.removingFrom();
    while (key < r.firstToken()) {
      EventLog.Batch b = eventLog.batch(key);
      if (b == null) {
        break; // the rest was removed before the crash
      }
      storage.events().remove(key);
      key = b.end();
    }
    for (long o = r.firstSnapshotOrdinal() - 1; o >= 0 && storage.snapshots().get(o) != null; o--) {
      storage.snapshots().remove(o);
    }
  }

  @Override
  public String context() {
    return context;
  }

  // ---------------------------------------------------------------------------------- apply

  @Override
  public ApplyResult apply(long logIndex, byte[] command) {
    if (closed) {
      throw new IllegalStateException("Context " + context + ": event store is closed");
    }
    if (failed || installing) {
      throw new IllegalStateException(
          "Context "
              + context
              + ": event store cannot apply ("
              + (failed ? "storage failed; close and reopen it" : "snapshot install in progress")
              + ")");
    }
    AppliedPosition p = position;
    if (logIndex <= p.lastApplied()) {
      return new ApplyResult.AlreadyApplied(logIndex);
    }
    EventCommand decoded;
    try {
      try {
        decoded = CommandCodec.decode(command);
      } catch (EncodingException e) {
        return reject(p, logIndex, ErrorCode.UNSUPPORTED_FORMAT, e.getMessage());
      }
      if (decoded instanceof EventCommand.AppendEvents a) {
        return appendEvents(p, logIndex, a.events());
      }
      return appendSnapshot(p, logIndex, ((EventCommand.AppendSnapshot) decoded).snapshot());
    } catch (RuntimeException e) {
      failed = true;
      if (e instanceof StorageFailureException s) {
        throw s;
      }
      throw new StorageFailureException(
          "Context " + context + ": storage failed while applying entry " + logIndex, e);
    }
  }

  private ApplyResult reject(AppliedPosition p, long logIndex, ErrorCode code, Object... args) {
    AppliedPosition next = new AppliedPosition(logIndex, p.nextToken(), p.nextSnapshotOrdinal());
    // Durable before any write of a later entry: replaying a refused entry on top of a later
    // entry's partial writes could otherwise accept it (see the class comment).
    storage.meta().put(STATE, next.encode());
    sinceStateRecord = 0;
    position = next;
    return new ApplyResult.Rejected(logIndex, code, code.message(args));
  }

  /** Per-aggregate bookkeeping while checking one transaction. */
  private static final class Touched {
    final AggregateHead head; // null for a new aggregate
    final String type;
    final boolean writtenByThisEntry;
    long expected;
    long[] refs = new long[4];
    int count;

    Touched(AggregateHead head, String type, boolean writtenByThisEntry) {
      this.head = head;
      this.type = type;
      this.writtenByThisEntry = writtenByThisEntry;
    }

    void add(long ref) {
      if (count == refs.length) {
        refs = Arrays.copyOf(refs, count * 2);
      }
      refs[count++] = ref;
    }
  }

  private ApplyResult appendEvents(AppliedPosition p, long logIndex, List<Event> events) {
    if (events.isEmpty() || events.size() > EventLog.MAX_BATCH) {
      return reject(
          p,
          logIndex,
          ErrorCode.INVALID_REQUEST,
          "a transaction must hold 1 to " + EventLog.MAX_BATCH + " events");
    }
    // Before any write: identifiers longer than older versions could store are rejected alike by
    // every member and on every replay (EventLimits: a verdict kept for logs, not a key limit).
    for (int i = 0; i < events.size(); i++) {
      var overLimit = EventLimits.violationAtApply(events.get(i), i);
      if (overLimit.isPresent()) {
        return reject(p, logIndex, ErrorCode.INVALID_REQUEST, overLimit.get());
      }
    }
    Map<String, Touched> touched = new LinkedHashMap<>();
    long first = p.nextToken();
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      if (!e.isDomainEvent()) {
        continue;
      }
      if (e.aggregateId().isEmpty() || e.aggregateSequenceNumber() < 0) {
        return reject(
            p,
            logIndex,
            ErrorCode.INVALID_REQUEST,
            "event " + i + " has an aggregate type but no aggregate id or a negative sequence");
      }
      Touched t = touched.get(e.aggregateId());
      if (t == null) {
        AggregateHead head = aggregates.head(e.aggregateId());
        boolean mine = head != null && head.lastLogIndex() == logIndex;
        if (head != null && head.lastLogIndex() > logIndex) {
          throw new StorageFailureException(
              "Aggregate "
                  + e.aggregateId()
                  + " was written by entry "
                  + head.lastLogIndex()
                  + ", after entry "
                  + logIndex
                  + " being applied: the store is ahead of its applied index");
        }
        t = new Touched(head, e.aggregateType(), mine);
        // Already written by this very entry before a crash: its own first sequence is right.
        t.expected =
            mine ? e.aggregateSequenceNumber() : head == null ? 0 : head.lastSequence() + 1;
        touched.put(e.aggregateId(), t);
      }
      if (e.aggregateSequenceNumber() != t.expected) {
        return reject(
            p,
            logIndex,
            ErrorCode.INVALID_SEQUENCE,
            e.aggregateId(),
            e.aggregateSequenceNumber(),
            t.expected);
      }
      t.expected++;
      t.add(EventLog.ref(first, i));
    }

    Map<Long, byte[]> eventWrites = new HashMap<>(4);
    Map<String, byte[]> metaWrites = new HashMap<>();
    EventLog.stage(first, logIndex, events, eventWrites, metaWrites);
    long before = timeIndex.runningMax();
    long token = first;
    for (Event e : events) {
      timeIndex.onEvent(token++, e.timestamp(), metaWrites);
    }
    AggregateIndex.Writes index = aggregates.writes();
    for (Map.Entry<String, Touched> en : touched.entrySet()) {
      Touched t = en.getValue();
      if (t.writtenByThisEntry) {
        if (t.head.lastSequence() != t.expected - 1) {
          throw new StorageFailureException(
              "Aggregate " + en.getKey() + " head does not match entry " + logIndex);
        }
        continue;
      }
      AggregateHead base = t.head == null ? AggregateHead.empty(t.type) : t.head;
      String id = en.getKey();
      index.put(id, base.append(index.chunkKeys(id), t.refs, t.count, logIndex, index.chunks));
    }
    Map<String, byte[]> headWrites = index.heads();
    AppliedPosition next = new AppliedPosition(logIndex, token, p.nextSnapshotOrdinal());
    try {
      storage.aggregateChunks().putAll(index.chunks);
      storage.aggregates().putAll(headWrites);
      storage.meta().putAll(metaWrites);
      storage.events().putAll(eventWrites); // the commit point of this entry
      if (++sinceStateRecord >= STATE_RECORD_INTERVAL) {
        storage.meta().put(STATE, next.encode());
        sinceStateRecord = 0;
      }
    } catch (RuntimeException ex) {
      timeIndex.reset(before);
      throw ex;
    }
    position = next;
    return new ApplyResult.Accepted(logIndex, first, events.size());
  }

  private ApplyResult appendSnapshot(AppliedPosition p, long logIndex, Event snapshot) {
    if (!snapshot.isDomainEvent()
        || snapshot.aggregateId().isEmpty()
        || snapshot.aggregateSequenceNumber() < 0) {
      return reject(
          p,
          logIndex,
          ErrorCode.INVALID_REQUEST,
          "a snapshot needs an aggregate id, an aggregate type and a sequence number >= 0");
    }
    var overLimit = EventLimits.violationAtApply(snapshot, 0);
    if (overLimit.isPresent()) {
      return reject(p, logIndex, ErrorCode.INVALID_REQUEST, overLimit.get());
    }
    AggregateHead head = aggregates.head(snapshot.aggregateId());
    boolean mine = head != null && head.lastLogIndex() == logIndex;
    if (!mine && (head == null || snapshot.aggregateSequenceNumber() > head.lastSequence())) {
      return reject(
          p,
          logIndex,
          ErrorCode.SNAPSHOT_AHEAD_OF_EVENTS,
          snapshot.aggregateId(),
          snapshot.aggregateSequenceNumber(),
          head == null ? -1 : head.lastSequence());
    }
    long ordinal = p.nextSnapshotOrdinal();
    AppliedPosition next = new AppliedPosition(logIndex, p.nextToken(), ordinal + 1);
    storage.snapshots().put(ordinal, StoredRecord.encode(logIndex, snapshot));
    if (!mine) {
      AggregateIndex.Writes index = aggregates.writes();
      index.put(
          snapshot.aggregateId(),
          head.withSnapshot(snapshot.aggregateSequenceNumber(), ordinal, logIndex));
      storage.aggregates().putAll(index.heads());
    }
    storage.meta().put(STATE, next.encode());
    sinceStateRecord = 0;
    position = next;
    return new ApplyResult.Accepted(logIndex, -1, 0);
  }

  @Override
  public long lastAppliedIndex() {
    return position.lastApplied();
  }

  @Override
  public long syncToDevice() {
    // Read before the sync: everything up to this index was written before the sync started.
    long applied = position.lastApplied();
    try {
      storage.syncToDevice();
    } catch (java.io.UncheckedIOException e) {
      throw new StorageFailureException(
          "Syncing the event store to disk failed: " + e.getMessage(), e);
    }
    return applied;
  }

  // ---------------------------------------------------------------------------------- reads

  private void checkReadable() {
    if (closed) {
      throw new IllegalStateException("Context " + context + ": event store is closed");
    }
    if (installing) {
      throw EventStoreException.of(ErrorCode.STORE_INSTALLING, "context " + context);
    }
  }

  private static EventStoreException invalid(String what) {
    return EventStoreException.of(ErrorCode.INVALID_REQUEST, what);
  }

  @Override
  public List<StoredEvent> readEvents(long fromToken, int maxCount) {
    checkReadable();
    if (fromToken < 0 || maxCount < 1) {
      throw invalid("reading events needs a token >= 0 and a count >= 1");
    }
    long first = retained.firstToken();
    if (fromToken < first) {
      throw removed(first);
    }
    // A token at or past the head reads nothing (as a token at the head does); never add to it,
    // fromToken + maxCount overflows for tokens near Long.MAX_VALUE.
    long end = fromToken + Math.min(maxCount, Math.max(0, position.nextToken() - fromToken));
    List<StoredEvent> out = new ArrayList<>((int) Math.max(0, end - fromToken));
    eventLog.forEach(
        fromToken,
        end,
        first,
        (t, e) -> {
          out.add(new StoredEvent(t, e));
          return true;
        });
    if (out.size() < end - fromToken) {
      throw missing(fromToken + out.size());
    }
    return out;
  }

  /** An event that should be there is not: removed by retention meanwhile, or lost. */
  private RuntimeException missing(long token) {
    long first = retained.firstToken();
    if (token < first) {
      return removed(first);
    }
    return new StorageFailureException("Context " + context + ": event " + token + " is missing");
  }

  private EventStoreException removed(long first) {
    return EventStoreException.of(
        ErrorCode.DATA_NOT_AVAILABLE,
        "events before token " + first + " of context " + context + " were removed by retention");
  }

  @Override
  public List<Event> aggregateEvents(
      String aggregateId, long fromSequence, long toSequence, boolean fromLatestSnapshot) {
    checkReadable();
    if (aggregateId == null || aggregateId.isEmpty() || fromSequence < 0) {
      throw invalid("reading an aggregate needs its id and a sequence number >= 0");
    }
    long published = position.nextToken(); // before the head: an entry being applied is cut off
    AggregateHead head = aggregates.head(aggregateId);
    List<Event> out = new ArrayList<>();
    if (head == null) {
      return out;
    }
    long start = fromSequence;
    if (fromLatestSnapshot) {
      List<Event> latest = aggregateSnapshots(aggregateId, fromSequence, toSequence, 1);
      if (!latest.isEmpty()) {
        out.add(latest.get(0));
        start = latest.get(0).aggregateSequenceNumber() + 1;
      }
    }
    long last = Math.min(head.lastSequence(), toSequence);
    long[] refs = aggregates.refs(aggregateId, head, start, last);
    EventLog.Batch batch = null;
    long firstToken = retained.firstToken();
    for (long ref : refs) {
      if (EventLog.refToken(ref) >= published) {
        break; // written by the entry being applied; its batch may not be there yet
      }
      long key = EventLog.refKey(ref);
      if (key < firstToken) {
        throw removed(firstToken);
      }
      if (batch == null || batch.key != key) {
        batch = eventLog.batch(key);
        if (batch == null) {
          throw missing(EventLog.refToken(ref));
        }
      }
      out.add(batch.event(EventLog.refIndex(ref)));
    }
    return out;
  }

  @Override
  public List<Event> aggregateSnapshots(
      String aggregateId, long fromSequence, long toSequence, int maxResults) {
    checkReadable();
    if (aggregateId == null || aggregateId.isEmpty() || fromSequence < 0 || maxResults < 1) {
      throw invalid("reading snapshots needs an aggregate id, a sequence >= 0 and a count >= 1");
    }
    AggregateHead head = aggregates.head(aggregateId);
    List<Event> out = new ArrayList<>();
    if (head == null) {
      return out;
    }
    long firstOrdinal = retained.firstSnapshotOrdinal();
    long[] seqs = head.snapshotSequences();
    long[] ords = head.snapshotOrdinals();
    // Newest ordinal per sequence number, highest sequence first.
    Map<Long, Long> bySequence = new TreeMap<>(Comparator.reverseOrder());
    for (int i = 0; i < seqs.length; i++) {
      if (seqs[i] >= fromSequence && seqs[i] <= toSequence && ords[i] >= firstOrdinal) {
        bySequence.merge(seqs[i], ords[i], Math::max);
      }
    }
    for (long ordinal : bySequence.values()) {
      if (out.size() >= maxResults) {
        break;
      }
      byte[] v = storage.snapshots().get(ordinal);
      if (v != null) { // null: removed by retention since we looked
        out.add(StoredRecord.decode(v).event());
      }
    }
    return out;
  }

  @Override
  public long highestSequence(String aggregateId) {
    checkReadable();
    if (aggregateId == null || aggregateId.isEmpty()) {
      throw invalid("an aggregate id is required");
    }
    AggregateHead head = aggregates.head(aggregateId);
    return head == null ? -1 : head.lastSequence();
  }

  @Override
  public long firstToken() {
    checkReadable();
    return retained.firstToken();
  }

  @Override
  public long lastToken() {
    checkReadable();
    return position.nextToken() - 1;
  }

  @Override
  public long tokenAt(long timestampMillis) {
    checkReadable();
    return timeIndex.tokenAt(timestampMillis, retained.firstToken(), position.nextToken());
  }

  // ---------------------------------------------------------------------------------- retention

  @Override
  public void confirmSecondaryHolds(String member, long logIndex) {
    Objects.requireNonNull(member, "member");
    confirmations.merge(member, logIndex, Math::max);
  }

  @Override
  public RetentionResult enforceRetention(
      RetentionSettings settings, Set<String> secondaries, long nowMillis, int maxRemovals) {
    checkReadable();
    RetainedRange r = retained;
    if (secondaries.isEmpty() || maxRemovals < 1) {
      return new RetentionResult(0, 0, r.firstToken());
    }
    long confirmed = Long.MAX_VALUE;
    for (String s : secondaries) {
      confirmed = Math.min(confirmed, confirmations.getOrDefault(s, 0L));
    }
    synchronized (retentionLock) {
      if (openSnapshotReads > 0) {
        return new RetentionResult(0, 0, r.firstToken());
      }
      AppliedPosition p = position;
      long eventCutoff = nowMillis - settings.eventRetention().toMillis();
      // Whole batches only, so the first held token stays a batch start.
      List<Long> batches = new ArrayList<>();
      long token = r.firstToken();
      int budget = maxRemovals;
      while (token < p.nextToken() && budget >= 0) {
        EventLog.Batch b = eventLog.batch(token);
        if (b == null) {
          throw missing(token);
        }
        if (b.logIndex > confirmed || b.count > budget || !allBefore(b, eventCutoff)) {
          break;
        }
        batches.add(token);
        budget -= b.count;
        token = b.end();
      }
      long snapshotCutoff = nowMillis - settings.snapshotRetention().toMillis();
      long ordinal = r.firstSnapshotOrdinal();
      while (ordinal < p.nextSnapshotOrdinal() && budget > 0) {
        byte[] v = storage.snapshots().get(ordinal);
        if (v == null) {
          throw new StorageFailureException(
              "Context " + context + ": snapshot " + ordinal + " is missing");
        }
        StoredRecord rec = StoredRecord.decode(v);
        if (rec.logIndex() > confirmed || rec.event().timestamp() >= snapshotCutoff) {
          break;
        }
        ordinal++;
        budget--;
      }
      if (token == r.firstToken() && ordinal == r.firstSnapshotOrdinal()) {
        return new RetentionResult(0, 0, r.firstToken());
      }
      RetainedRange next = new RetainedRange(token, ordinal, r.firstToken());
      storage.meta().put(RETENTION, next.encode());
      retained = next; // readers now get DATA_NOT_AVAILABLE instead of a missing record
      // Descending, so that what a crash leaves is a prefix that reopening can walk and finish.
      for (int i = batches.size() - 1; i >= 0; i--) {
        storage.events().remove(batches.get(i));
      }
      for (long o = r.firstSnapshotOrdinal(); o < ordinal; o++) {
        storage.snapshots().remove(o);
      }
      LOG.log(
          System.Logger.Level.INFO,
          "Context {0}: retention removed events below token {1} and snapshots below ordinal {2}",
          context,
          token,
          ordinal);
      return new RetentionResult(token - r.firstToken(), ordinal - r.firstSnapshotOrdinal(), token);
    }
  }

  private static boolean allBefore(EventLog.Batch b, long cutoff) {
    for (int i = 0; i < b.count; i++) {
      if (b.event(i).timestamp() >= cutoff) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------- snapshots

  @Override
  public StateSnapshotReader openStateSnapshot(int maxChunkBytes) {
    checkReadable();
    if (maxChunkBytes < 1024) {
      throw invalid("a snapshot chunk must be allowed at least 1024 bytes");
    }
    synchronized (retentionLock) {
      openSnapshotReads++;
      return new StateSnapshotReader(
          storage,
          aggregates,
          eventLog,
          position,
          retained,
          maxChunkBytes,
          this::snapshotReadClosed);
    }
  }

  private void snapshotReadClosed() {
    synchronized (retentionLock) {
      openSnapshotReads--;
    }
  }

  @Override
  public StateSnapshotInstaller beginInstall() {
    if (closed) {
      throw new IllegalStateException("Context " + context + ": event store is closed");
    }
    installing = true;
    storage.meta().put(INSTALLING, new byte[] {1});
    clearAll();
    // Emptied: a store of any older format starts over in the current one.
    StoreFormat.write(context, storage, StoreFormat.CURRENT);
    aggregates.useFormat(StoreFormat.CURRENT);
    return new StateSnapshotInstaller(storage, aggregates, this::installFinished);
  }

  private void installFinished() {
    storage.meta().remove(INSTALLING);
    load();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      storage.close();
    }
  }
}
