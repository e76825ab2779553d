package io.jsplice.create.source;

/**
 * The artifact is in none of the repositories consulted: it does not exist in Maven Central, or
 * resolution was offline and the local repository has no copy. The user fixes the coordinates, or
 * goes online once.
 */
public final class ArtifactNotFoundException extends MavenResolutionException {
  private static final long serialVersionUID = 1L;

  ArtifactNotFoundException(MavenCoordinates coordinates, String message, Throwable cause) {
    super(coordinates, message, cause);
  }
}
