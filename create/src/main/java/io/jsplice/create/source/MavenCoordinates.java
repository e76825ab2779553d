package io.jsplice.create.source;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One Maven artifact as an operator writes it: {@code groupId:artifactId:version} or {@code
 * groupId:artifactId:version:classifier} ({@code :sources}, {@code :tests}). The extension is
 * always {@code jar}.
 *
 * <p>Note the order: the classifier comes last, after the version, unlike Maven's own {@code
 * g:a:extension:classifier:v}; it reads as "this version's sources".
 *
 * @param groupId never null
 * @param artifactId never null
 * @param version one concrete version, never a range; never null
 * @param classifier null for the main artifact
 */
public record MavenCoordinates(
    String groupId, String artifactId, String version, String classifier) {
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.\\-]+");

  public MavenCoordinates {
    check("groupId", groupId);
    check("artifactId", artifactId);
    check("version", version);
    if (classifier != null) {
      check("classifier", classifier);
    }
  }

  /**
   * Parses {@code g:a:v} or {@code g:a:v:classifier}.
   *
   * @throws IllegalArgumentException with a message that shows the expected form
   */
  public static MavenCoordinates parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] parts = text.trim().split(":", -1);
    if (parts.length != 3 && parts.length != 4) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' are not Maven coordinates: expected groupId:artifactId:version[:classifier]");
    }
    try {
      return new MavenCoordinates(
          parts[0], parts[1], parts[2], parts.length == 4 ? parts[3] : null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' are not Maven coordinates: " + e.getMessage(), e);
    }
  }

  /** The same artifact version with another classifier; null for the main artifact. */
  public MavenCoordinates withClassifier(String other) {
    return new MavenCoordinates(groupId, artifactId, version, other);
  }

  /** The model's view: the artifact at this version, whatever the classifier. */
  public ClassSet.ArtifactVersion artifactVersion() {
    return new ClassSet.ArtifactVersion(groupId, artifactId, version);
  }

  /** {@code g:a:v} or {@code g:a:v:classifier}, the form {@link #parse} reads. */
  @Override
  public String toString() {
    String gav = groupId + ":" + artifactId + ":" + version;
    return classifier == null ? gav : gav + ":" + classifier;
  }

  private static void check(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    if (!PART.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + " '"
              + value
              + "' may only contain letters, digits, '.', '-' and '_'"
              + (what.equals("version") ? " (version ranges are not accepted)" : ""));
    }
  }
}
