package io.jsplice.create.source;

/**
 * A repository could not be asked: no network, a proxy or TLS problem, a server error, or a
 * download whose checksum did not match. The coordinates may well be right; the user fixes the
 * connection or resolves offline from a local repository that has the artifact.
 */
public final class RepositoryUnreachableException extends MavenResolutionException {
  private static final long serialVersionUID = 1L;

  RepositoryUnreachableException(MavenCoordinates coordinates, String message, Throwable cause) {
    super(coordinates, message, cause);
  }
}
