package io.caucus.consensus.sim;

import io.caucus.consensus.Entry;
import java.util.Arrays;

/**
 * The simulated state machine: the index of the last applied entry and a hash chained over every
 * applied entry. Two members agree on their applied history iff they agree on (index, hash). Its
 * snapshot is the value itself, copied.
 */
record StateMachine(long index, long hash) {

  static final StateMachine EMPTY = new StateMachine(0, 17);

  StateMachine apply(Entry e) {
    long h = hash * 0x9E3779B97F4A7C15L;
    h ^= e.index() * 31 + e.term() * 131 + e.type().code() + Arrays.hashCode(e.data()) * 7L;
    return new StateMachine(e.index(), h);
  }
}
