package io.jsplice.agent.engine;

import io.jsplice.agent.heap.Heap;
import io.jsplice.agent.heap.HeapUnavailableException;
import io.jsplice.bootstrap.HookContext;
import io.jsplice.bootstrap.UpdateHook;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An update's hooks ({@link UpdateHook}), one instance per hook class in each class loader where
 * the update applies, and the calls the engine makes to them. A hook failure before or at the end
 * of an apply becomes an {@link FailureException} with cause {@link FailureCause#HOOK_FAILED},
 * which makes the engine leave the JVM as it was.
 *
 * <p>Not thread-safe; used on the engine's thread.
 */
final class UpdateHooks {
  static final UpdateHooks NONE =
      new UpdateHooks(
          "none",
          List.of(),
          new Consumer<>() {
            @Override
            public void accept(
                String message) {} // a class, not a lambda: none spun in a first apply
          });

  /** A companion's field through which its shadow fields ask the hook for initial values. */
  static final String COMPANION_HOOK_FIELD = "$hook";

  private record Instance(UpdateHook hook, HookContext context) {}

  private record Context(
      String updateId, ClassLoader loader, Consumer<String> sink, Supplier<Heap> heap)
      implements HookContext {
    @Override
    public void log(String message) {
      sink.accept("hook of " + updateId + ": " + message);
    }

    @Override
    public <T> List<T> objectsOf(Class<T> type) {
      try {
        return heap.get().instancesOf(List.of(type)).stream()
            .filter(type::isInstance)
            .map(type::cast)
            .toList();
      } catch (HeapUnavailableException e) {
        throw new IllegalStateException(
            "cannot look for the objects of " + type.getName() + ": " + e.getMessage(), e);
      }
    }
  }

  private final String updateId;
  private final List<Instance> instances;
  private final Consumer<String> log;

  private UpdateHooks(String updateId, List<Instance> instances, Consumer<String> log) {
    this.updateId = updateId;
    this.instances = instances;
    this.log = log;
  }

  /**
   * Instantiates the update's hooks in each loader; their classes must be defined there.
   *
   * @param heap the heap hooks look for objects on ({@link HookContext#objectsOf}), asked for only
   *     when a hook does
   */
  static UpdateHooks create(
      UpdatePackage pkg, List<ClassLoader> loaders, Consumer<String> log, Supplier<Heap> heap)
      throws FailureException {
    String id = pkg.update().id();
    if (pkg.update().hooks().isEmpty()) {
      return new UpdateHooks(id, List.of(), log);
    }
    List<Instance> instances = new ArrayList<>();
    for (ClassLoader loader : loaders) {
      for (String name : pkg.update().hooks()) {
        try {
          Object hook = Class.forName(name, true, loader).getConstructor().newInstance();
          instances.add(new Instance((UpdateHook) hook, new Context(id, loader, log, heap)));
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
          throw failure(id, name, "could not be created", e);
        }
      }
    }
    UpdateHooks hooks = new UpdateHooks(id, instances, log);
    hooks.attachToCompanions(pkg);
    return hooks;
  }

  void beforeApply() throws FailureException {
    for (Instance i : instances) {
      call(i, "before apply", () -> i.hook().beforeApply(i.context()));
    }
  }

  void afterApply() throws FailureException {
    for (Instance i : instances) {
      call(i, "after apply", () -> i.hook().afterApply(i.context()));
    }
  }

  void beforeUndo() throws FailureException {
    for (Instance i : instances) {
      call(i, "before undo", () -> i.hook().beforeUndo(i.context()));
    }
  }

  /** The undo has happened; a failure here is logged, not thrown. */
  void afterUndo() {
    for (Instance i : instances) {
      try {
        call(i, "after undo", () -> i.hook().afterUndo(i.context()));
      } catch (FailureException e) {
        log.accept("warning: " + e.getMessage());
      }
    }
  }

  /** Lets the companions' shadow fields ask the hook for objects built before the update. */
  private void attachToCompanions(UpdatePackage pkg) throws FailureException {
    for (Instance i : instances) {
      for (ClassUpdate c : pkg.update().classes()) {
        if (c.status() != ClassStatus.ADDED) {
          continue;
        }
        try {
          Class<?> added = Class.forName(c.name(), false, i.context().loader());
          Field field = added.getDeclaredField(COMPANION_HOOK_FIELD);
          if (Modifier.isStatic(field.getModifiers()) && field.getType() == UpdateHook.class) {
            field.setAccessible(true);
            field.set(null, i.hook());
          }
        } catch (NoSuchFieldException notACompanionWithShadows) {
          // nothing to attach
        } catch (LinkageError cannotLink) {
          // Reflecting on its fields links it, and it cannot link here: the apply left it out
          // (Engine.defineSupportClasses refuses any other added class that cannot link), as its
          // class is not loaded, never ran or cannot link either. None of its code can run, and no
          // object of its class was built before the update: nothing asks for the hook.
        } catch (ReflectiveOperationException e) {
          throw failure(updateId, c.name(), "could not be given the hook", e);
        }
      }
    }
  }

  private interface Call {
    void run() throws Exception;
  }

  private void call(Instance i, String when, Call call) throws FailureException {
    try {
      call.run();
    } catch (Exception | LinkageError e) {
      throw failure(updateId, i.hook().getClass().getName(), "failed " + when, e);
    }
  }

  private static FailureException failure(String id, String hook, String what, Throwable e) {
    return new FailureException(
        FailureCause.HOOK_FAILED, "hook " + hook + " of " + id + " " + what + ": " + e, e);
  }
}
