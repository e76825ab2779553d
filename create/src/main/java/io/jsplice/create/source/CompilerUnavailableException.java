package io.jsplice.create.source;

/**
 * This JVM cannot compile the library: it is a JRE without javac, or its javac cannot produce class
 * files as new as the library's. The user runs jsplice on a (newer) JDK.
 */
public final class CompilerUnavailableException extends SourcePatchException {
  private static final long serialVersionUID = 1L;

  CompilerUnavailableException(String message) {
    super(message);
  }
}
