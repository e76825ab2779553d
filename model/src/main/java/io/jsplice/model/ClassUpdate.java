package io.jsplice.model;

import java.util.List;
import java.util.Objects;

/**
 * What an update does to one class.
 *
 * <p>Its components, in their order, are its JSON form in an update's signed descriptor ({@link
 * UpdateJson}): renaming or reordering them changes the format.
 *
 * @param name binary class name, e.g. {@code org.example.Foo$Bar}
 * @param status modified, added or removed
 * @param preFingerprint the normalized fingerprint the running class must have (run-pre matching);
 *     null for an added class
 * @param postFingerprint the fingerprint of the fixed class as built; null for a removed class
 * @param changes the classified differences, in a stable order
 * @param applicability whether and how this class's changes apply live
 */
public record ClassUpdate(
    String name,
    ClassStatus status,
    String preFingerprint,
    String postFingerprint,
    List<Change> changes,
    Applicability applicability) {

  public ClassUpdate {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    changes = List.copyOf(changes);
    Objects.requireNonNull(applicability, "applicability");
    if (status != ClassStatus.ADDED) {
      Objects.requireNonNull(preFingerprint, "preFingerprint of " + name);
    }
    if (status != ClassStatus.REMOVED) {
      Objects.requireNonNull(postFingerprint, "postFingerprint of " + name);
    }
  }

  /** The class's internal name, e.g. {@code org/example/Foo$Bar}. */
  public String internalName() {
    return name.replace('.', '/');
  }

  public boolean has(ChangeKind kind) {
    return changes.stream().anyMatch(c -> c.kind() == kind);
  }
}
