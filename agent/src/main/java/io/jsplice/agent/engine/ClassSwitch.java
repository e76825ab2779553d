package io.jsplice.agent.engine;

import io.jsplice.bootstrap.Patched;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The switch itself: one retransformation of every loaded class of an update, in every loader, with
 * {@link PatchTransformer}'s run-pre check armed, so that the JVM installs all classes or none;
 * then the read-back through each class's {@link Patched} marker, and the roll-back when the JVM
 * does not run what was installed. After each switch the JVM's cache of the switched enums'
 * constants is dropped ({@link EnumConstantCaches}).
 */
final class ClassSwitch {
  private final Instrumentation instrumentation;
  private final InstallationTable table;
  private final SupportClasses support;
  private final PatchTransformer transformer;
  private final PatchedMarkers markers;
  private final Consumer<String> log;
  private final EnumConstantCaches enumConstants;

  ClassSwitch(
      Instrumentation instrumentation,
      InstallationTable table,
      SupportClasses support,
      PatchTransformer transformer,
      PatchedMarkers markers,
      Consumer<String> log) {
    this.instrumentation = instrumentation;
    this.table = table;
    this.support = support;
    this.transformer = transformer;
    this.markers = markers;
    this.log = log;
    this.enumConstants = new EnumConstantCaches(instrumentation, log);
  }

  /**
   * Retransforms {@code classes} in one step, with run-pre checking armed.
   *
   * @return the classes another agent had instrumented, into which the update's code was merged
   */
  List<String> switchClasses(String updateId, Set<Class<?>> classes, String verb)
      throws FailureException {
    if (classes.isEmpty()) {
      return List.of();
    }
    PatchTransformer.Armed armed = new PatchTransformer.Armed(updateId, classes);
    if (verb.equals("apply")) {
      transformer.arm(armed);
    }
    try {
      instrumentation.retransformClasses(classes.toArray(new Class<?>[0]));
      enumConstants.reset(classes);
      return List.copyOf(armed.merged);
    } catch (Throwable t) {
      throw switchFailure(updateId, verb, armed, t);
    } finally {
      transformer.disarm();
    }
  }

  private static FailureException switchFailure(
      String updateId, String verb, PatchTransformer.Armed armed, Throwable t) {
    String prefix = "cannot " + verb + " " + updateId + "; no class was changed: ";
    if (!armed.mismatches.isEmpty()) {
      return new FailureException(
          FailureCause.RUN_PRE_MISMATCH, prefix + String.join("; ", armed.mismatches), t);
    }
    if (!armed.failures.isEmpty()) {
      return new FailureException(
          FailureCause.INTERNAL, prefix + String.join("; ", armed.failures), t);
    }
    if (t instanceof VerifyError) {
      // HotSpot's VerifyError from a retransformation carries no message and names no class.
      return new FailureException(
          FailureCause.VERIFY_ERROR,
          prefix
              + "the JVM's verifier rejected the new code of "
              + String.join(
                  ", ", armed.classes.stream().map(Class::getName).distinct().sorted().toList())
              + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")")
              + "; the update is faulty: rebuild it (-Xlog:verification shows which class and why)",
          t);
    }
    if (t instanceof ClassFormatError) {
      // Reading an update checks its class files' structure; the JVM checks more (JVMS §4.8).
      return new FailureException(
          FailureCause.VERIFY_ERROR,
          prefix
              + "the JVM rejected the new class file of "
              + String.join(
                  ", ", armed.classes.stream().map(Class::getName).distinct().sorted().toList())
              + " as malformed ("
              + t.getMessage()
              + "); the update is faulty: rebuild it",
          t);
    }
    if (t instanceof UnsupportedOperationException) {
      return new FailureException(
          FailureCause.UNSUPPORTED_CHANGE,
          prefix + "the JVM refused the change: " + t.getMessage(),
          t);
    }
    if (t instanceof UnmodifiableClassException) {
      return new FailureException(
          FailureCause.UNSUPPORTED_CHANGE,
          prefix + "a class cannot be modified: " + t.getMessage(),
          t);
    }
    return new FailureException(FailureCause.INTERNAL, prefix + t, t);
  }

  /** Checks that every class runs {@code updateId}'s code; rolls back and throws otherwise. */
  void confirmOrRollBack(String updateId, Set<Class<?>> classes) throws FailureException {
    List<String> notInEffect = new ArrayList<>();
    for (Class<?> c : classes) {
      String marker = markers.updateOf(c);
      if (!updateId.equals(marker)) {
        notInEffect.add(
            c.getName()
                + " ("
                + ClassOrigin.describe(c)
                + ") runs "
                + (marker == null ? "unpatched code" : "the code of " + marker));
      }
    }
    if (notInEffect.isEmpty()) {
      return;
    }
    rollBack(updateId, classes);
    throw new FailureException(
        FailureCause.NOT_IN_EFFECT,
        "after the switch the JVM does not run "
            + updateId
            + ": "
            + String.join("; ", notInEffect)
            + "; another agent's transformer may have replaced its code. Rolled back.");
  }

  /** Takes the update out of the table and puts the code below it back in {@code classes}. */
  void rollBack(String updateId, Set<Class<?>> classes) {
    table.remove(updateId);
    support.unregister(updateId);
    try {
      instrumentation.retransformClasses(classes.toArray(new Class<?>[0]));
      enumConstants.reset(classes);
    } catch (Throwable t) {
      log.accept("rollback of " + updateId + " failed: " + t);
    }
  }

  /** Classes of the update that loaded, patched, while a failed switch was being tried. */
  void revertLoadedDuringSwitch(String updateId, List<Installation> installations) {
    List<Class<?>> stray = new ArrayList<>();
    for (List<Class<?>> classes : TargetClasses.loaded(instrumentation, installations).values()) {
      for (Class<?> c : classes) {
        if (updateId.equals(markers.updateOf(c))) {
          stray.add(c);
        }
      }
    }
    if (!stray.isEmpty()) {
      try {
        instrumentation.retransformClasses(stray.toArray(new Class<?>[0]));
        enumConstants.reset(stray);
      } catch (Throwable t) {
        log.accept("could not restore " + stray + " after a failed apply: " + t);
      }
    }
  }
}
