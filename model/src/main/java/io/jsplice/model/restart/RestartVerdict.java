package io.jsplice.model.restart;

/**
 * The answer of {@code jsplice verify}: if the JVM restarted now, with the same command line, would
 * it come back running the same effective code (the classes it loaded, with the updates applied to
 * them)? Ordered from best to worst; the exit code is for scripts.
 */
public enum RestartVerdict {
  /** Every class it loaded is unchanged on disk and every applied update would apply again. */
  SAME_CODE(0, "same code after restart"),
  /**
   * The restart would run other code, none of it vulnerable as far as jsplice can tell: a jar or
   * class directory changed on disk (upgraded underneath the JVM), an update is no longer needed
   * because the disk now holds its fix, or the service's record holds an update this JVM does not
   * run yet.
   */
  DIFFERENT_CODE(40, "different code after restart"),
  /**
   * An update this JVM runs would not be in force after the restart (not recorded, untrusted, or
   * its classes on disk are no longer the code it was built against) and the disk does not hold its
   * fix.
   */
  WOULD_LOSE_FIX(41, "would lose a fix");

  private final int exitCode;
  private final String line;

  RestartVerdict(int exitCode, String line) {
    this.exitCode = exitCode;
    this.line = line;
  }

  /** The CLI's exit code; documented with the failure causes' codes. */
  public int exitCode() {
    return exitCode;
  }

  /** The verdict in words, as {@code jsplice verify} prints it. */
  public String line() {
    return line;
  }

  /** The worse of the two. */
  public RestartVerdict and(RestartVerdict other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
