package io.jsplice.agent.jmx;

import java.util.List;

/**
 * What the update engine tells monitoring about the updates in effect. Called from JMX threads at
 * any time: implementations must be thread-safe and quick (return a snapshot).
 */
@FunctionalInterface
public interface AppliedUpdates {
  /** Before the engine feeds anything. */
  AppliedUpdates NONE =
      // Not a method reference: premain makes this, and a JVM's first lambda costs milliseconds.
      new AppliedUpdates() {
        @Override
        public List<String> ids() {
          return List.of();
        }
      };

  /** The ids of the updates in effect, oldest first; never null. */
  List<String> ids();
}
