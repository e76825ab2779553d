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

  /** Appends {@code transformer}; it sees every class loaded or retransformed from now on. */
  public void append(ClassFileTransformer transformer) {
    transformers.add(transformer);
  }

  /** Removes {@code transformer}; classes loaded or retransformed from now on pass it by. */
  public void remove(ClassFileTransformer transformer) {
    transformers.remove(transformer);
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
    for (ClassFileTransformer transformer : transformers) {
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
