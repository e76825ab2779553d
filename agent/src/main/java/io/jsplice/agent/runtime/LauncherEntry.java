package io.jsplice.agent.runtime;

import java.lang.instrument.Instrumentation;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How the agent launcher ({@code io.jsplice.agent.launch}) reaches {@link AgentRuntime#start}
 * without reflection: in a JVM the agent was just loaded into, a reflective call of a method of
 * this shape spins about sixteen lambda-form classes on JDK 18+ (JEP 416), at {@code agentmain} and
 * at {@code premain} alike (issue 13).
 *
 * <p>The launcher and the runtime share only the JDK's types: the runtime's class loader has the
 * platform loader as its parent, so the launcher's classes are invisible here, and the launcher
 * compiles without the runtime. The contract, in this order:
 *
 * <ol>
 *   <li>the launcher initializes this class in the runtime's class loader ({@code
 *       Class.forName(name, true, loader)});
 *   <li>its static initializer hands an instance to that loader, which accepts it as a {@code
 *       Consumer<Object>} (a loader that is not one, as in the tests, gets nothing);
 *   <li>the launcher calls {@link #apply} once with {@code AgentRuntime.start}'s arguments, in its
 *       order: the {@link Instrumentation}, the options ({@code String}, may be null), whether the
 *       agent starts under {@code -javaagent} ({@code Boolean}) and what tells whether the agent
 *       jar changed under the runtime ({@code Supplier<String>}).
 * </ol>
 *
 * <p>Not a lambda, nor are the types it uses: each would spin a class of its own.
 */
public final class LauncherEntry implements Function<Object[], Consumer<String>> {
  static {
    if (LauncherEntry.class.getClassLoader() instanceof Consumer<?> launcher) {
      @SuppressWarnings("unchecked")
      Consumer<Object> receiver = (Consumer<Object>) launcher;
      receiver.accept(new LauncherEntry());
    }
  }

  private LauncherEntry() {}

  /**
   * Starts the runtime: {@link AgentRuntime#start(Instrumentation, String, boolean, Supplier)}.
   *
   * @param arguments its four arguments, in its order
   * @return what accepts the raw options of each later load of the agent jar; never null
   * @throws IllegalArgumentException if there are not four arguments of those types
   */
  @Override
  @SuppressWarnings("unchecked")
  public Consumer<String> apply(Object[] arguments) {
    if (arguments.length != 4
        || !(arguments[0] instanceof Instrumentation instrumentation)
        || !(arguments[1] == null || arguments[1] instanceof String)
        || !(arguments[2] instanceof Boolean atStartup)
        || !(arguments[3] instanceof Supplier<?> codeChanged)) {
      throw new IllegalArgumentException(
          "the agent launcher passed the runtime's start other arguments than (Instrumentation,"
              + " String, Boolean, Supplier<String>): the agent jar mixes two releases");
    }
    return AgentRuntime.start(
        instrumentation, (String) arguments[1], atStartup, (Supplier<String>) codeChanged);
  }
}
