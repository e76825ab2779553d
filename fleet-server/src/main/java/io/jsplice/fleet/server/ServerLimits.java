package io.jsplice.fleet.server;

/**
 * The largest request bodies the server reads; anything larger is refused with {@code 413} before
 * it is stored.
 *
 * @param updateBytes a published update file
 * @param reportBytes a host's report
 * @param requestBytes any other JSON request
 */
public record ServerLimits(long updateBytes, long reportBytes, long requestBytes) {
  public static final ServerLimits DEFAULT = new ServerLimits(32L << 20, 8L << 20, 64L << 10);

  public ServerLimits {
    if (updateBytes < 1 || reportBytes < 1 || requestBytes < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
