package io.jsplice.agent.restart;

import io.jsplice.agent.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.ref.WeakReference;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * Serves, at a start whose {@link ReapplyCache} holds, each load of a class of a recorded update
 * from the cache: when the bytes handed over (compared byte for byte with those the cache keeps)
 * and where the class comes from are those the engine checked and patched at an earlier start, it
 * installs the bytes the engine installed then. It needs neither the engine, nor ASM, nor a
 * signature check, nor a digest, so the engine does not start.
 *
 * <p>Anything else falls back to the engine, for good: a class of a recorded update whose load the
 * cache does not hold (other bytes, another origin, a class the earlier start never loaded) stops
 * the serving, asks for the engine's start and waits at the {@link ReapplyGate} as it would have
 * without the cache; so does the engine's start for a client's first request ({@link #stop}). From
 * then on this transformer only passes classes to the gate, and the engine's transformer, later in
 * the chain, handles every class as at any start.
 *
 * <p>In the agent's chain where the gate would be. Thread-safe; never throws into the loading
 * thread.
 */
final class CachedReapplication implements ClassFileTransformer {
  private final ReapplyCache.Usable cache;
  private final Set<String> recordedClasses; // internal names
  private final ReapplyGate gate;
  private final BiFunction<ClassLoader, ProtectionDomain, String> origins;
  private final AgentLog log;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final List<Served> served = new ArrayList<>(); // guarded by itself
  private volatile Runnable startEngine = new NoEngine();

  /** Not a lambda: premain makes it, and each lambda costs the main thread a class. */
  private static final class NoEngine implements Runnable {
    @Override
    public void run() {}
  }

  /** A load served from the cache, for the engine when it starts later. */
  private record Served(String className, WeakReference<ClassLoader> loader, byte[] installed) {}

  CachedReapplication(
      ReapplyCache.Usable cache,
      Set<String> recordedClasses,
      ReapplyGate gate,
      BiFunction<ClassLoader, ProtectionDomain, String> origins,
      AgentLog log) {
    this.cache = cache;
    this.recordedClasses = Set.copyOf(recordedClasses);
    this.gate = gate;
    this.origins = origins;
    this.log = log;
  }

  /** What starts the engine at a load the cache cannot serve; set before the application runs. */
  void onFallBack(Runnable startEngine) {
    this.startEngine = startEngine;
  }

  /** Whether loads are still served from the cache (the engine has not been asked to start). */
  boolean serving() {
    return !stopped.get();
  }

  /** How many loads were served from the cache. */
  int servedCount() {
    synchronized (served) {
      return served.size();
    }
  }

  /**
   * Stops serving from the cache and closes the gate: the engine starts and reapplies the recorded
   * updates, and their classes that load from now on wait for it. Returns whether this call stopped
   * it.
   */
  boolean stop(String why) {
    if (!stopped.compareAndSet(false, true)) {
      return false;
    }
    gate.hold();
    log.info(
        "reapplication cache: served "
            + servedCount()
            + " class loads; the engine starts ("
            + why
            + ")");
    return true;
  }

  /**
   * Whether {@code type} runs exactly {@code installed}, having been served from the cache: the
   * engine then needs not switch it.
   */
  boolean servedWith(Class<?> type, byte[] installed) {
    String name = type.getName().replace('.', '/');
    synchronized (served) {
      for (Served s : served) {
        if (s.className().equals(name)
            && s.loader().get() == type.getClassLoader()
            && Arrays.equals(s.installed(), installed)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] classfileBuffer) {
    if (className == null) {
      return null;
    }
    if (!stopped.get() && recordedClasses.contains(className)) {
      try {
        byte[] bytes = served(loader, className, classBeingRedefined, domain, classfileBuffer);
        if (bytes != null) {
          return bytes;
        }
      } catch (RuntimeException | LinkageError e) {
        log.warn("reapplication cache: " + className + " not served: " + e);
      }
      if (stop(className.replace('/', '.') + " loads with code the cache does not hold")) {
        startEngine.run();
      }
    }
    return gate.transform(module, loader, className, classBeingRedefined, domain, classfileBuffer);
  }

  private byte[] served(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] handed) {
    List<ReapplyCache.Load> loads = cache.loads().get(className);
    if (loads == null) {
      return null;
    }
    String origin = origins.apply(loader, domain);
    for (ReapplyCache.Load load : loads) {
      // The very bytes the engine checked, compared whole: a digest of them would cost more.
      if (load.origin().equals(origin)
          && Arrays.equals(cache.bytes().get(load.handedSha256()), handed)) {
        byte[] installed = cache.bytes().get(load.installedSha256());
        if (installed == null) {
          return null;
        }
        if (classBeingRedefined == null) {
          synchronized (served) {
            served.add(new Served(className, new WeakReference<>(loader), installed));
          }
          log.info(
              "patched "
                  + className.replace('/', '.')
                  + " ("
                  + origin
                  + ") with "
                  + load.updateId()
                  + " as it loaded, from the reapplication cache");
        }
        return installed.clone();
      }
    }
    return null;
  }
}
