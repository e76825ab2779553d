package io.jsplice.agent.engine;

/**
 * How an apply or undo behaves when threads are busy in the code it replaces.
 *
 * @param retries how many more times to check after the first busy check
 * @param retryDelayMillis the first delay between checks; it doubles up to 2 s
 * @param force proceed even if threads stay busy, and report which frames keep old code
 */
public record ApplyOptions(int retries, long retryDelayMillis, boolean force) {
  public static final ApplyOptions DEFAULT = new ApplyOptions(5, 100, false);

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
