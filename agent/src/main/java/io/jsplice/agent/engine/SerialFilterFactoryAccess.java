package io.jsplice.agent.engine;

import io.jsplice.bootstrap.SerialRejections;
import java.io.ObjectInputFilter;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;

/**
 * Hands {@link SerialRejections} the JVM-wide deserialization filter factory's field, so that the
 * filter of an update that refuses classes covers every stream created after the apply and is taken
 * out exactly at the undo. The public API can set the factory only before the first object stream
 * and never take it back. {@code java.io} is opened to the agent's own module only, the first time
 * an update with hooks is applied; without it {@link SerialRejections} uses the public API.
 *
 * <p>Not thread-safe; used on the engine's thread.
 */
final class SerialFilterFactoryAccess {
  private final Instrumentation instrumentation;
  private final Consumer<String> log;
  private boolean offered;

  SerialFilterFactoryAccess(Instrumentation instrumentation, Consumer<String> log) {
    this.instrumentation = instrumentation;
    this.log = log;
  }

  /** Offers the field once; a failure is logged and leaves the public API as the way in. */
  void offer() {
    if (offered) {
      return;
    }
    offered = true;
    try {
      Module javaBase = Object.class.getModule();
      Module ours = SerialFilterFactoryAccess.class.getModule();
      if (!javaBase.isOpen("java.io", ours)) {
        instrumentation.redefineModule(
            javaBase, Set.of(), Map.of(), Map.of("java.io", Set.of(ours)), Set.of(), Map.of());
      }
      VarHandle slot =
          MethodHandles.privateLookupIn(ObjectInputFilter.Config.class, MethodHandles.lookup())
              .findStaticVarHandle(
                  ObjectInputFilter.Config.class, "serialFilterFactory", BinaryOperator.class);
      SerialRejections.useFactorySlot(slot);
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.accept(
          "the deserialization filter factory's field is not reachable ("
              + e
              + "); a refusing filter goes in through the public API and stays after an undo");
    }
  }
}
