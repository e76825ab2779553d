package io.jsplice.agent.restart;

import io.jsplice.agent.classfile.CodeLocation;
import io.jsplice.agent.classfile.DiskClasses;
import io.jsplice.protocol.message.VerifyReply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compares every class the JVM loaded from a jar or class directory with the class file at the same
 * place on disk now, by {@link io.jsplice.model.fingerprint.ClassFingerprint}: the code a restart
 * would load instead. A patched class is compared by the code below its patch (what its loader
 * defined), which is what a restart loads before jsplice patches it again.
 *
 * <p>Classes that are not in their jar or directory are of two kinds: defined at run time with the
 * jar's code source (proxies of CGLIB, Byte Buddy, Hibernate, Mockito, and jsplice's own classes
 * that an update adds), recognized by name and not counted as changes; and classes that are gone
 * from disk, which are. JFR event classes are not compared either: JFR instruments them as they
 * load, so their loaded code never matches the class file.
 */
final class LoadedCodeCheck {
  /** Names that class generators give the classes they define beside the code they proxy. */
  private static final Pattern GENERATED =
      Pattern.compile(
          ".*(\\$\\$|\\$ByteBuddy\\$|\\$HibernateProxy\\$|\\$MockitoMock\\$|_\\$\\$_).*");

  /** {@code jdk.jfr.Event}, or null in a JVM without the {@code jdk.jfr} module. */
  private static final Class<?> JFR_EVENT = jfrEvent();

  /** At most this many differing classes are listed per jar or directory; the rest are counted. */
  static final int LISTED = 100;

  private LoadedCodeCheck() {}

  /** What a jar or class directory holds now, compared with what the JVM loaded from it. */
  enum State {
    /** Every loaded class is the same on disk. */
    UNCHANGED,
    /** Some loaded class differs from its class file now, or is gone from it. */
    CHANGED,
    /** The jar or directory is gone. */
    MISSING,
    /** Not a location jsplice can read (not a file), or it cannot be read. */
    UNREADABLE
  }

  /**
   * The result for one jar or directory.
   *
   * @param url the code source URL as the JVM has it
   * @param location the parsed location; null if not understood
   * @param state the outcome
   * @param loaded how many loaded classes came from it
   * @param differing loaded classes whose code differs on disk now, at most {@link #LISTED}
   * @param differingCount how many differ in all
   * @param gone loaded classes no longer in it, at most {@link #LISTED}
   * @param goneCount how many are gone in all
   * @param generated classes defined at run time with its code source, not compared
   * @param unreadable loaded classes the JVM would not hand over
   * @param problem why it is missing or unreadable; null otherwise
   * @param replacedBy for a jar gone from disk, the jar beside it that holds its classes now, which
   *     they were compared with; null otherwise
   */
  record Source(
      String url,
      CodeLocation location,
      State state,
      int loaded,
      List<String> differing,
      int differingCount,
      List<String> gone,
      int goneCount,
      int generated,
      int unreadable,
      String problem,
      String replacedBy) {

    VerifyReply.CodeSource toReply() {
      return new VerifyReply.CodeSource(
          url,
          location == null ? "unknown" : location.kind().word,
          location == null ? null : location.describe(),
          switch (state) {
            case UNCHANGED -> VerifyReply.SourceState.UNCHANGED;
            case CHANGED -> VerifyReply.SourceState.CHANGED;
            case MISSING -> VerifyReply.SourceState.MISSING;
            case UNREADABLE -> VerifyReply.SourceState.UNREADABLE;
          },
          loaded,
          differing,
          differingCount,
          gone,
          goneCount,
          generated,
          unreadable,
          problem,
          replacedBy);
    }
  }

  /**
   * Compares each jar and directory the JVM loaded from.
   *
   * @param addedByUpdates binary names of the classes applied updates define (never on disk)
   */
  static List<Source> run(
      LoadedClasses loaded,
      LoadedClassReader reader,
      DiskClasses disk,
      Set<String> addedByUpdates) {
    List<Source> out = new ArrayList<>();
    for (Map.Entry<String, List<Class<?>>> group : loaded.bySource().entrySet()) {
      out.add(compare(group.getKey(), group.getValue(), reader, disk, addedByUpdates));
    }
    return out;
  }

  private static Source compare(
      String url,
      List<Class<?>> classes,
      LoadedClassReader reader,
      DiskClasses disk,
      Set<String> addedByUpdates) {
    CodeLocation location = CodeLocation.parse(url);
    if (location == null) {
      return unreadable(url, null, classes.size(), "not a file, jar or nested jar on disk");
    }
    List<Class<?>> compared = new ArrayList<>();
    int generated = 0;
    for (Class<?> type : classes) {
      if (addedByUpdates.contains(type.getName())
          || GENERATED.matcher(type.getName()).matches()
          || (JFR_EVENT != null && JFR_EVENT.isAssignableFrom(type))) {
        generated++;
      } else {
        compared.add(type);
      }
    }
    CodeLocation now = location;
    try {
      if (!disk.exists(location)) {
        now =
            compared.isEmpty()
                ? null
                : disk.replacement(location, compared.get(0).getName().replace('.', '/'));
        if (now == null) {
          return new Source(
              url,
              location,
              State.MISSING,
              classes.size(),
              List.of(),
              0,
              List.of(),
              0,
              generated,
              0,
              location.describe() + " is gone from disk",
              null);
        }
      }
    } catch (IOException e) {
      return unreadable(url, location, classes.size(), "cannot read it: " + e);
    }
    Map<Class<?>, LoadedClassReader.Read> reads = reader.read(compared);
    List<String> differing = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    int differingCount = 0;
    int goneCount = 0;
    int unreadable = 0;
    for (Class<?> type : compared) {
      LoadedClassReader.Read read = reads.get(type);
      if (read.fingerprint() == null) {
        unreadable++;
        continue;
      }
      byte[] onDisk;
      try {
        onDisk = disk.classFile(now, type.getName().replace('.', '/'));
      } catch (IOException e) {
        return unreadable(url, location, classes.size(), "cannot read it: " + e);
      }
      if (onDisk == null) {
        goneCount++;
        addListed(gone, type.getName());
      } else if (!read.fingerprint().equals(fingerprint(onDisk))) {
        differingCount++;
        addListed(differing, type.getName());
      }
    }
    State state = differingCount + goneCount == 0 ? State.UNCHANGED : State.CHANGED;
    return new Source(
        url,
        location,
        state,
        classes.size(),
        differing,
        differingCount,
        gone,
        goneCount,
        generated,
        unreadable,
        null,
        now.equals(location) ? null : now.describe());
  }

  private static String fingerprint(byte[] classFile) {
    try {
      return io.jsplice.model.fingerprint.ClassFingerprint.of(classFile);
    } catch (IllegalArgumentException damaged) {
      return "unparsable";
    }
  }

  private static Class<?> jfrEvent() {
    try {
      return Class.forName("jdk.jfr.Event", false, ClassLoader.getPlatformClassLoader());
    } catch (ClassNotFoundException | LinkageError notInThisJvm) {
      return null;
    }
  }

  private static void addListed(List<String> list, String name) {
    if (list.size() < LISTED) {
      list.add(name);
    }
  }

  private static Source unreadable(String url, CodeLocation location, int loaded, String why) {
    return new Source(
        url, location, State.UNREADABLE, loaded, List.of(), 0, List.of(), 0, 0, 0, why, null);
  }
}
