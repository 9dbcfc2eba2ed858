package io.caucus.cluster.admin;

/**
 * Told after each change of the cluster structure: an applied command that changed it, or a
 * restored snapshot. Called on the thread that applied it (the {@code _admin} group's runner),
 * after the new structure is visible through {@link AdminStateMachine#structure()}, in index order.
 * Must return quickly (hand work such as starting a group runner to another thread) and must not
 * call {@code apply} or {@code restore}. An exception is logged and does not stop other listeners.
 */
@FunctionalInterface
public interface StructureListener {

  void structureChanged(StructureDiff diff);
}
