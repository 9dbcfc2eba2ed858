package io.caucus.eventstore;

import io.caucus.eventstore.infinispan.InfinispanStorageFactory;
import io.caucus.eventstore.infinispan.InfinispanStorageSettings;
import java.nio.file.Path;

/**
 * Child process of {@link ProcessKillTest}: applies a random log to an Infinispan store, printing
 * each applied log index, until it is killed.
 */
public final class KillTestTarget {

  private KillTestTarget() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    RandomLog log = new RandomLog(Long.parseLong(args[1]), Integer.parseInt(args[2]), 50, 20);
    InfinispanStorageFactory factory =
        new InfinispanStorageFactory(dir, new InfinispanStorageSettings(false, 0));
    DefaultEventStore store = DefaultEventStore.open("killed", factory.open("killed"));
    System.out.println("OPEN " + store.lastAppliedIndex());
    for (RandomLog.Item item : log.items) {
      if (item.index() > store.lastAppliedIndex()) {
        store.apply(item.index(), item.command());
        System.out.println("APPLIED " + item.index());
      }
    }
    System.out.println("DONE");
    // Never closes: the parent kills the process.
    while (true) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
