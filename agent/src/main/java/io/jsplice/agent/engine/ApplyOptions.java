package io.jsplice.agent.engine;

/**
 * How an apply or undo behaves when threads are busy in the code it replaces.
 *
 * @param retries how many more times to check after the first busy check
 * @param retryDelayMillis the first delay between checks; it doubles up to 2 s
 * @param force proceed even if threads stay busy, and report which frames keep old code
 * @param acceptPartial apply even when the fix would be only partly in force (state built before
 *     the update may keep the old behaviour, or classes the update leaves out); without it such an
 *     apply is refused
 * @param acceptLeftOut apply an update that leaves out classes of the fixed release (a live
 *     subset), but still refuse one whose fix state built before it would keep from being in force
 *     (what a fleet's policy accepts: {@code acceptPartial} accepts both)
 */
public record ApplyOptions(
    int retries,
    long retryDelayMillis,
    boolean force,
    boolean acceptPartial,
    boolean acceptLeftOut) {
  public static final ApplyOptions DEFAULT = new ApplyOptions(5, 100, false, false, false);

  public ApplyOptions(int retries, long retryDelayMillis, boolean force) {
    this(retries, retryDelayMillis, force, false, false);
  }

  public ApplyOptions(int retries, long retryDelayMillis, boolean force, boolean acceptPartial) {
    this(retries, retryDelayMillis, force, acceptPartial, false);
  }

  /** These options, accepting a fix only partly in force. */
  public ApplyOptions acceptingPartial() {
    return new ApplyOptions(retries, retryDelayMillis, force, true, acceptLeftOut);
  }

  public ApplyOptions {
    if (retries < 0 || retries > 100) {
      throw new IllegalArgumentException("retries must be between 0 and 100, not " + retries);
    }
    if (retryDelayMillis < 0 || retryDelayMillis > 60_000) {
      throw new IllegalArgumentException(
          "retry delay must be between 0 and 60000 ms, not " + retryDelayMillis);
    }
  }
}
