package io.jsplice.model.control;

import java.util.List;

/**
 * {@link FailureCause#PARTLY_IN_FORCE} because the update leaves out classes of the fixed release
 * (a live subset) and the caller did not accept that: jsplice cannot tell whether the fix is among
 * them. Nothing was changed.
 *
 * <p>A distinct type because callers act on it differently from state that stays old: the classes
 * an update leaves out are a property of the update, so the same JVM refuses it the same way at
 * every try, whereas objects found on the heap may be temporaries a request held at that moment.
 */
public final class ClassesLeftOutException extends FailureException {
  private static final long serialVersionUID = 1L;

  private final List<String> leftOut;

  /**
   * @param leftOut the classes left out, dotted names; not empty
   * @param details the update's notes naming them, with why, one line each
   */
  public ClassesLeftOutException(String message, List<String> leftOut, List<String> details) {
    super(FailureCause.PARTLY_IN_FORCE, message, details, null);
    this.leftOut = List.copyOf(leftOut);
  }

  /** The classes of the fixed release the update leaves out, dotted names; never empty. */
  public List<String> leftOut() {
    return leftOut;
  }
}
