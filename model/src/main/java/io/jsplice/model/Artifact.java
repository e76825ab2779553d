package io.jsplice.model;

import java.util.Objects;

/**
 * A library an update targets, with the versions it goes from and to where they are known.
 *
 * <p>Its components, in their order, are its JSON form in an update's signed descriptor ({@link
 * UpdateJson}): renaming or reordering them changes the format.
 *
 * @param groupId Maven group id; null when the input was not a Maven artifact
 * @param artifactId Maven artifact id, or the jar's file name
 * @param fromVersion the vulnerable version the update applies to; may be null
 * @param toVersion the version whose code the update installs; may be null
 */
public record Artifact(String groupId, String artifactId, String fromVersion, String toVersion) {
  public Artifact {
    Objects.requireNonNull(artifactId, "artifactId");
  }

  /** "commons-text 1.9 -> 1.10.0", for reports. */
  public String display() {
    StringBuilder out = new StringBuilder(artifactId);
    if (fromVersion != null || toVersion != null) {
      out.append(' ').append(fromVersion == null ? "?" : fromVersion);
      out.append(" -> ").append(toVersion == null ? "?" : toVersion);
    }
    return out.toString();
  }
}
