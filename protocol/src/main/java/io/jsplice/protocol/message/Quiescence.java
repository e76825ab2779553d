package io.jsplice.protocol.message;

/**
 * How an apply or undo waits for threads to leave the code it replaces.
 *
 * @param retries checks after the first, 0 to 100
 * @param retryDelayMillis the first delay between checks, 0 to 60000; it doubles up to 2 s
 * @param force switch even if threads stay busy; they finish on the old code
 */
public record Quiescence(int retries, long retryDelayMillis, boolean force) {
  /** What the CLI does without options. */
  public static final Quiescence DEFAULT = new Quiescence(5, 100, false);
}
