package io.jsplice.agent.runtime;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agent's one retransformation-capable transformer in the JVM's chain, registered when the
 * runtime starts (in {@code premain} under {@code -javaagent}), into which the components put
 * theirs when they start, possibly much later. Its place in the JVM's chain is what decides whether
 * jsplice sees a class before or after another agent's instrumentation, so it is taken as early as
 * possible, while the components that fill it may start only when they are needed.
 *
 * <p>Like the JVM's chain, each transformer gets the previous one's output (the class's bytes if
 * none changed them). Until a component appends one, a class load costs one volatile read.
 *
 * <p>Thread-safe.
 */
public final class TransformerChain implements ClassFileTransformer {
  private final List<ClassFileTransformer> transformers = new CopyOnWriteArrayList<>();

  /**
   * Appends {@code transformer}; it sees every class loaded or retransformed from now on, and those
   * that wait in a transformer before it. Transformers stay in the chain for the life of the JVM.
   */
  public void append(ClassFileTransformer transformer) {
    transformers.add(transformer);
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] classfileBuffer)
      throws IllegalClassFormatException {
    if (transformers.isEmpty()) {
      return null;
    }
    byte[] current = classfileBuffer;
    boolean changed = false;
    // By index, not over a snapshot: a class held in one transformer (the reapplication's gate)
    // meets those appended while it waited (the engine's). Nothing is ever removed.
    for (int i = 0; i < transformers.size(); i++) {
      ClassFileTransformer transformer = transformers.get(i);
      byte[] out =
          transformer.transform(module, loader, className, classBeingRedefined, domain, current);
      if (out != null) {
        current = out;
        changed = true;
      }
    }
    return changed ? current : null;
  }
}
