package io.jsplice.agent.restart;

import io.jsplice.model.record.ServiceRecordStore;

/**
 * {@link RememberedLoads} kept for a service beside its signature verdicts: one file per key,
 * {@code STATE/SERVICE/loads/KEY}, holding the update's id, believed as {@link OwnerOnlyDirectory}
 * says (a user who could write it could run any code in this JVM anyway).
 */
final class LoadVerdicts implements RememberedLoads {
  private final OwnerOnlyDirectory directory;

  private LoadVerdicts(OwnerOnlyDirectory directory) {
    this.directory = directory;
  }

  static LoadVerdicts of(ServiceRecordStore store) {
    return new LoadVerdicts(new OwnerOnlyDirectory(store.directory().resolve("loads")));
  }

  @Override
  public String updateFor(String key) {
    return isKey(key) ? directory.read(key) : null;
  }

  @Override
  public void remember(String key, String updateId) {
    if (isKey(key)) {
      directory.write(key, updateId);
    }
  }

  /** A hex digest, so never a path. */
  private static boolean isKey(String key) {
    return key.length() == 64 && key.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }
}
