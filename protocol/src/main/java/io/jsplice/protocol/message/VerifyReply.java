package io.jsplice.protocol.message;

import io.jsplice.model.json.RecordCodec;
import io.jsplice.model.restart.RestartVerdict;
import java.util.List;

/**
 * Would the JVM come back with the same effective code if it restarted now?
 *
 * @param verdict the worst of all parts
 * @param line one line that says why
 * @param exitCode the verdict's exit code
 * @param codeSources each jar and class directory the JVM loaded from
 * @param updates each update applied or recorded (empty when not asked for)
 * @param loadedClasses how many loaded classes were compared
 * @param withoutCodeSource loaded classes with no code source (JDK, generated), not compared
 * @param millis how long it took
 */
public record VerifyReply(
    RestartVerdict verdict,
    String line,
    int exitCode,
    List<CodeSource> codeSources,
    List<UpdateAtRestart> updates,
    int loadedClasses,
    int withoutCodeSource,
    long millis) {

  /** How a jar or directory compares with what the JVM loaded from it. */
  public enum SourceState {
    /** Every loaded class is the same on disk. */
    UNCHANGED,
    /** Some loaded class differs from its class file now, or is gone from it. */
    CHANGED,
    /** The jar or directory is gone. */
    MISSING,
    /** Not a location jsplice can read, or it cannot be read. */
    UNREADABLE;

    /** Whether a restart would load other code from it. */
    public boolean differs() {
      return this == CHANGED || this == MISSING;
    }
  }

  /**
   * One jar or class directory.
   *
   * @param url its code source URL
   * @param kind {@code jar}, {@code directory}, {@code nested jar}, ... or {@code unknown}
   * @param path where it is, for people; null when not understood
   * @param loadedClasses how many loaded classes came from it
   * @param differing classes whose code differs on disk now, the first few
   * @param gone classes no longer in it, the first few
   * @param generated classes defined at run time with its code source, not compared
   * @param unreadable loaded classes the JVM would not hand over
   * @param problem why it is missing or unreadable; may be null
   * @param replacedBy a jar beside a vanished one that holds its classes now; may be null
   */
  public record CodeSource(
      String url,
      String kind,
      String path,
      SourceState state,
      int loadedClasses,
      List<String> differing,
      int differingCount,
      List<String> gone,
      int goneCount,
      int generated,
      int unreadable,
      String problem,
      String replacedBy) {}

  /** What the disk holds for an update's classes, as a whole. */
  public enum DiskState {
    /** The code it was built against, everywhere: it applies again. */
    APPLIES,
    /** Its fix, where it does not apply. */
    FIXED,
    /** Other code somewhere, not known to hold its fix. */
    DIFFERS,
    /** None of its classes could be found on disk. */
    NOT_FOUND
  }

  /**
   * One update, applied or recorded.
   *
   * @param warn whether the line says something is wrong even though a restart changes nothing
   * @param classes where its classes are on disk and what is there
   */
  public record UpdateAtRestart(
      String id,
      boolean inJvm,
      boolean recorded,
      boolean reappliedAtRestart,
      DiskState disk,
      RestartVerdict verdict,
      boolean warn,
      String line,
      List<ClassPlace> classes) {}

  /**
   * One place a class of an update is loaded from, or would be.
   *
   * @param location the jar or directory; null when not found
   * @param disk what is there: {@code built against}, {@code fixed}, {@code other} or {@code
   *     absent}
   */
  public record ClassPlace(
      String className, String location, String disk, boolean loaded, boolean runsUpdate) {
    static {
      RecordCodec.declareName(ClassPlace.class, "className", "class");
    }
  }
}
