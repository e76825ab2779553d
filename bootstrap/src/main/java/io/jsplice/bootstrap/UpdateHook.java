package io.jsplice.bootstrap;

/**
 * Code an update carries for what jsplice cannot do by itself (Ksplice's hooks, kpatch's
 * callbacks): put a fix in force for state the program built before the update, in ways only
 * someone who knows the program can.
 *
 * <p>A hook is a class of the update, compiled by {@code jsplice create --hook Hook.java}, signed
 * with it, and defined in each class loader where the update applies, so it sees the library's
 * classes as the library does. It needs a public no-argument constructor. The agent calls, in this
 * order: {@link #beforeApply} before any class is switched, {@link #afterApply} once the fixed code
 * runs and the update's state actions are done; on undo, {@link #beforeUndo} before and {@link
 * #afterUndo} after the switch back. A hook that throws in {@code beforeApply} or {@code
 * afterApply} aborts the apply and leaves the JVM as it was; in {@code beforeUndo} it aborts the
 * undo. All four run on the agent's control thread, one update at a time.
 *
 * <p>{@link #initialValue} is the state transfer for objects built before the update: an instance
 * field the update adds reads, for such an object, what this returns (asked once per object).
 */
public interface UpdateHook {
  /**
   * Returned by {@link #initialValue} to leave the field to jsplice (its initializer, or 0/null).
   */
  Object NO_VALUE = new Object();

  default void beforeApply(HookContext context) throws Exception {}

  default void afterApply(HookContext context) throws Exception {}

  default void beforeUndo(HookContext context) throws Exception {}

  default void afterUndo(HookContext context) throws Exception {}

  /**
   * The value of an added instance field for an object built before the update.
   *
   * @param owner the object
   * @param field the field's name, as declared in the fixed class
   * @return the value (boxed for primitives), or {@link #NO_VALUE}
   */
  default Object initialValue(Object owner, String field) {
    return NO_VALUE;
  }
}
