package io.jsplice.create;

import io.jsplice.create.live.ReleaseLinks;
import io.jsplice.create.source.ClassSet;
import io.jsplice.create.source.ClassSetReader;
import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds the dependencies a fixed release needs at a newer release than the vulnerable one ran with:
 * log4j-core 2.15.0 calls members that only log4j-api 2.15.0 has, so an update of log4j-core alone
 * would throw {@code NoSuchFieldError} in the application. A dependency counts when the fixed
 * release's POM names a different version of it than the vulnerable release's POM, and the fixed
 * release's changed code refers to a class or member that the old version lacks.
 *
 * <p>Each upgrade found is checked the same way in turn, so a chain of them is followed.
 */
public final class DependencyUpgrades {
  private DependencyUpgrades() {}

  /**
   * A dependency the update must carry too.
   *
   * @param from the release the vulnerable code runs with
   * @param to the release the fixed code needs
   * @param needs what the fixed code refers to that only {@code to} has, in words; never empty
   */
  public record Upgrade(MavenCoordinates from, MavenCoordinates to, List<String> needs) {
    public Upgrade {
      needs = List.copyOf(needs);
    }

    /** One line for an operator: what is added and why, naming at most three needed members. */
    public String describe() {
      List<String> shown = needs.subList(0, Math.min(3, needs.size()));
      return from.groupId()
          + ":"
          + from.artifactId()
          + " "
          + from.version()
          + " -> "
          + to.version()
          + " (the fixed code uses "
          + String.join(", ", shown)
          + (needs.size() > shown.size() ? " and " + (needs.size() - shown.size()) + " more" : "")
          + ")";
    }

    /** The options that name this upgrade on the command line. */
    public String options() {
      return "--from " + from + " --to " + to;
    }
  }

  /**
   * The upgrades the fixed side needs beyond what both sides already name.
   *
   * @param from the coordinates of the vulnerable side
   * @param to the coordinates of the fixed side
   * @param pre the classes of the vulnerable side
   * @param post the classes of the fixed side
   * @param covers which classes of the release diff the update covers
   */
  public static List<Upgrade> needed(
      List<MavenCoordinates> from,
      List<MavenCoordinates> to,
      ClassSet pre,
      ClassSet post,
      ClassFilter covers,
      MavenArtifacts maven)
      throws IOException {
    Map<String, MavenCoordinates> named = new LinkedHashMap<>();
    from.forEach(c -> named.put(key(c), c));
    to.forEach(c -> named.putIfAbsent(key(c), c));
    Deque<Pair> pending = new ArrayDeque<>();
    for (MavenCoordinates t : to) {
      from.stream()
          .filter(f -> key(f).equals(key(t)))
          .findFirst()
          .ifPresent(f -> pending.add(new Pair(f, t, changedClasses(pre, post, covers))));
    }
    List<Upgrade> out = new ArrayList<>();
    while (!pending.isEmpty()) {
      Pair pair = pending.poll();
      Map<String, MavenCoordinates> oldDependencies = byKey(maven.directDependencies(pair.from));
      for (MavenCoordinates newer : maven.directDependencies(pair.to)) {
        MavenCoordinates older = oldDependencies.get(key(newer));
        if (older == null
            || older.version().equals(newer.version())
            || named.containsKey(key(newer))) {
          continue;
        }
        ClassSet newerClasses = ClassSetReader.read(maven.resolve(newer));
        ClassSet olderClasses = ClassSetReader.read(maven.resolve(older));
        List<String> needs =
            ReleaseLinks.unsatisfied(pair.code, newerClasses.classes(), olderClasses::bytes);
        if (!needs.isEmpty()) {
          out.add(new Upgrade(older, newer, needs));
          named.put(key(newer), newer);
          pending.add(
              new Pair(older, newer, changedClasses(olderClasses, newerClasses, ClassFilter.ALL)));
        }
      }
    }
    return out;
  }

  private record Pair(MavenCoordinates from, MavenCoordinates to, Map<String, byte[]> code) {}

  /** The classes of {@code post} that {@code pre} lacks or has with other bytes. */
  private static Map<String, byte[]> changedClasses(
      ClassSet pre, ClassSet post, ClassFilter covers) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    post.classes()
        .forEach(
            (name, bytes) -> {
              if (covers.covers(name) && !Arrays.equals(bytes, pre.bytes(name))) {
                out.put(name, bytes);
              }
            });
    return out;
  }

  private static Map<String, MavenCoordinates> byKey(List<MavenCoordinates> coordinates) {
    Map<String, MavenCoordinates> out = new LinkedHashMap<>();
    coordinates.forEach(c -> out.putIfAbsent(key(c), c));
    return out;
  }

  private static String key(MavenCoordinates c) {
    return c.groupId()
        + ":"
        + c.artifactId()
        + (Objects.isNull(c.classifier()) ? "" : ":" + c.classifier());
  }
}
