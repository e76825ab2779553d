package io.jsplice.fleet.server.feed;

import java.time.Duration;
import java.util.Objects;

/**
 * How a server runs the automatic feed.
 *
 * @param factory what builds and signs the updates
 * @param interval how often it checks the repository (an admin can also ask it to check now)
 */
public record FeedSettings(UpdateFactory factory, Duration interval) {
  public FeedSettings {
    Objects.requireNonNull(factory, "factory");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the feed's interval must be positive");
    }
  }
}
