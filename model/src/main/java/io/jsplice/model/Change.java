package io.jsplice.model;

import java.util.Objects;

/**
 * One classified difference in one class.
 *
 * <p>Its components, in their order, are its JSON form in an update's signed descriptor ({@link
 * UpdateJson}): renaming or reordering them changes the format.
 *
 * @param kind what changed
 * @param member the member concerned in JVM form ({@code name(desc)ret} for methods, {@code
 *     name:desc} for fields); null for class-level changes
 * @param detail one sentence for an operator, e.g. "new limit 1000 replaces no limit"; may be empty
 */
public record Change(ChangeKind kind, String member, String detail) {
  public Change {
    Objects.requireNonNull(kind, "kind");
    detail = detail == null ? "" : detail;
  }

  public static Change ofClass(ChangeKind kind, String detail) {
    return new Change(kind, null, detail);
  }
}
