package io.jsplice.create.source;

import java.io.IOException;

/**
 * Maven coordinates could not be turned into a local file. The message is one line that names the
 * coordinates and says what to do next.
 */
public abstract class MavenResolutionException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient MavenCoordinates coordinates;

  MavenResolutionException(MavenCoordinates coordinates, String message, Throwable cause) {
    super(message, cause);
    this.coordinates = coordinates;
  }

  /** The coordinates that were asked for (for a classpath, the root artifact). */
  public MavenCoordinates coordinates() {
    return coordinates;
  }
}
