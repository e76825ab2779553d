package io.jsplice.create.source;

import java.io.IOException;

/** An entry named {@code *.class} in a jar or directory is not a class file ASM can parse. */
public final class InvalidClassFileException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param where the jar or directory and the entry, e.g. {@code lib.jar!/org/example/Foo.class}
   * @param cause what the parser reported
   */
  public InvalidClassFileException(String where, RuntimeException cause) {
    super(where + " is not a valid class file (" + cause + "); rebuild or re-download it", cause);
  }
}
