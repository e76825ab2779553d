package io.jsplice.create.source;

import java.io.IOException;

/**
 * Two inputs of one class set hold a class of the same name. The JVM would load whichever comes
 * first on the class path, so the diff cannot know which version runs.
 */
public final class DuplicateClassException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String className;
  private final String first;
  private final String second;

  /**
   * @param className internal name of the class, e.g. {@code org/example/Foo}
   * @param first where it was found first (a jar or directory, with the entry when both are the
   *     same container)
   * @param second where it was found again
   */
  public DuplicateClassException(String className, String first, String second) {
    super(
        "class "
            + className.replace('/', '.')
            + " is in both "
            + first
            + " and "
            + second
            + "; a class set holds each class once: leave one of them out");
    this.className = className;
    this.first = first;
    this.second = second;
  }

  /** Internal name of the duplicated class. */
  public String className() {
    return className;
  }

  public String first() {
    return first;
  }

  public String second() {
    return second;
  }
}
