package io.jsplice.create.source;

import java.util.List;

/**
 * javac rejected the sources. On the {@link Side#PATCHED} side the diff itself does not compile; on
 * the {@link Side#UNPATCHED} side the library's own sources do not compile against the classpath
 * given, which therefore lacks a dependency or belongs to another version.
 */
public final class PatchCompileException extends SourcePatchException {
  private static final long serialVersionUID = 1L;

  /** Which text javac was compiling. */
  public enum Side {
    /** The sources as they are, before the diff. */
    UNPATCHED,
    /** The sources with the diff applied. */
    PATCHED
  }

  /**
   * One javac error.
   *
   * @param file path relative to the sources root ({@code org/example/Foo.java}); null for errors
   *     that concern no file
   * @param line 1-based; 0 when unknown
   * @param message javac's message on one line
   */
  public record CompileError(String file, long line, String message) {
    @Override
    public String toString() {
      return file == null ? message : file + ":" + line + ": " + message;
    }
  }

  private final Side side;
  private final transient List<CompileError> errors;

  PatchCompileException(Side side, List<CompileError> errors, String message) {
    super(message);
    this.side = side;
    this.errors = List.copyOf(errors);
  }

  public Side side() {
    return side;
  }

  /** Every error javac reported, in its order; never empty. */
  public List<CompileError> errors() {
    return errors;
  }
}
