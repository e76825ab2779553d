package io.jsplice.fleet.server.store;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.aether.util.version.GenericVersionScheme;
import org.eclipse.aether.version.InvalidVersionSpecificationException;
import org.eclipse.aether.version.Version;

/**
 * Maven's version order (Maven's resolver's {@code GenericVersionScheme}: 1.9 &lt; 1.10.0 &lt;
 * 1.10.1), and what "a newer release of the same line" means for the feed.
 */
public final class MavenVersions {
  private static final GenericVersionScheme SCHEME = new GenericVersionScheme();

  /** Qualifiers of versions that are not releases: alpha, beta, RC, milestones, snapshots... */
  private static final Pattern PRE_RELEASE =
      Pattern.compile(
          "(?i).*[.-]?(alpha|beta|rc|cr|m|milestone|snapshot|preview|ea|dev|pr)[.-]?\\d*([.-].*)?$");

  private MavenVersions() {}

  public static final Comparator<String> ORDER =
      (a, b) -> {
        try {
          return SCHEME.parseVersion(a).compareTo(SCHEME.parseVersion(b));
        } catch (InvalidVersionSpecificationException e) {
          return a.compareTo(b);
        }
      };

  static Version parse(String version) {
    try {
      return SCHEME.parseVersion(version);
    } catch (InvalidVersionSpecificationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Whether {@code version} is a release: no alpha, beta, RC, milestone or snapshot qualifier. */
  public static boolean isRelease(String version) {
    return !PRE_RELEASE.matcher(version).matches();
  }

  /** The leading number of a version: its major version, the "line" releases belong to. */
  static String line(String version) {
    int end = 0;
    while (end < version.length() && Character.isDigit(version.charAt(end))) {
      end++;
    }
    return end == 0 ? version : version.substring(0, end);
  }

  /**
   * The newest release of the same line as {@code from} (same major version) that is newer than it,
   * among {@code versions}; empty if none.
   */
  public static Optional<String> newestInLine(String from, List<String> versions) {
    String line = line(from);
    return versions.stream()
        .filter(MavenVersions::isRelease)
        .filter(v -> line(v).equals(line))
        .filter(v -> ORDER.compare(v, from) > 0)
        .max(ORDER);
  }
}
