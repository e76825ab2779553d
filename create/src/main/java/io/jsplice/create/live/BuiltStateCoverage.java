package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import io.jsplice.create.diff.ClassDiff;
import io.jsplice.create.live.StaticStatePlanner.ClassState;
import io.jsplice.create.live.StaticStatePlanner.Strategy;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.Mechanism;
import io.jsplice.model.StateAction;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;

/**
 * Decides whether objects built before an update are taken care of when their class's construction
 * changes. Redefinition changes code, not objects: what an old constructor or initializer gave an
 * object stays. That is no problem when the change only adds initializers of added fields, which
 * old objects get from their shadow fields on first use; otherwise it is covered where old objects
 * are kept in known places: static caches, which the agent clears so that the fixed code rebuilds
 * them, and static singletons, which the static state planner recomputes. Anything else needs a
 * hook.
 */
final class BuiltStateCoverage {
  private final PostView post;
  private final java.util.function.Function<String, byte[]> preClasses;
  private final InstalledWorld world;
  private final PlanOutput output;

  /**
   * @param preClasses the vulnerable release's class files by internal name (null if absent)
   */
  BuiltStateCoverage(
      PostView post,
      java.util.function.Function<String, byte[]> preClasses,
      InstalledWorld world,
      PlanOutput output) {
    this.post = post;
    this.preClasses = preClasses;
    this.world = world;
    this.output = output;
  }

  /**
   * Whether nothing built before the update is left stale by the class's changed construction;
   * records the cache resets that make it so.
   */
  boolean covers(
      String name,
      ClassDiff c,
      ClassNode[] pair,
      SchemaComparison schema,
      ClassState state,
      Assessment assessment) {
    return onlyAddsFieldInitializers(c, pair, schema)
        || coverBuiltState(name, c, state, assessment);
  }

  /**
   * Whether construction changed only by initializers of added fields that old objects get from
   * their shadow fields on first use: then nothing built before the update is stale.
   */
  private boolean onlyAddsFieldInitializers(
      ClassDiff c, ClassNode[] pair, SchemaComparison schema) {
    boolean otherInitCode =
        c.changes().stream()
            .anyMatch(
                ch ->
                    ch.kind() == ChangeKind.INIT_ONLY_CODE_CHANGED
                        && !ch.member().startsWith("<init>"));
    if (!c.has(ChangeKind.INIT_ONLY_CODE_CHANGED) || otherInitCode) {
      return false;
    }
    Set<String> initialized = new HashSet<>();
    Set<String> successions = new HashSet<>();
    for (FieldNode f : schema.addedFields.values()) {
      if ((f.access & Opcodes.ACC_STATIC) != 0) {
        continue;
      }
      if (FieldInitializers.initializer(pair[1], f.name, f.desc) != null) {
        initialized.add(f.name);
      } else if (FieldSuccession.expression(pair[0], pair[1], f.name, f.desc) != null
          || FieldInitializers.forOldObjects(schema, pair[1], f.name, f.desc) != null) {
        successions.add(f.name); // its store: old objects get the field from elsewhere
      }
    }
    return FieldInitializers.onlyAddsInitializers(
        pair[0], pair[1], initialized, successions, world::loadedFieldDescriptor, writes(pair[0]));
  }

  /**
   * Whether a call of the old release ({@code owner.name+desc}) may write a field of {@code pre}
   * ({@code |name:desc}): it reaches, through calls named in the code, a method of {@code pre} that
   * stores into the field; or such a method overrides one of a supertype, which any call may then
   * reach by virtual dispatch.
   */
  private java.util.function.Predicate<String> writes(ClassNode pre) {
    java.util.Map<String, CallGraph> byField = new java.util.HashMap<>();
    return key -> {
      int bar = key.indexOf('|');
      String call = key.substring(0, bar);
      String field = key.substring(bar + 1);
      Set<String> writers = writers(pre, field);
      for (String w : writers) {
        String method = w.substring(pre.name.length() + 1);
        if (!method.startsWith("<") && inherited(pre, method)) {
          return true; // a supertype's code may reach it by virtual dispatch
        }
      }
      CallGraph graph =
          byField.computeIfAbsent(field, f -> new CallGraph(preClasses, writers, Set.of()));
      int dot = call.lastIndexOf('.', call.indexOf('('));
      return graph.reachesChange(
          call.substring(0, dot),
          call.substring(dot + 1, call.indexOf('(')),
          call.substring(call.indexOf('(')));
    };
  }

  /**
   * Whether a supertype of {@code pre} (superclasses and interfaces, in the old release or the JDK)
   * may declare the method, so that code of its own may call it by virtual dispatch: one does, or
   * one cannot be read (a dependency's).
   */
  private boolean inherited(ClassNode pre, String method) {
    java.util.Deque<String> todo = new java.util.ArrayDeque<>();
    if (pre.superName != null) {
      todo.add(pre.superName);
    }
    todo.addAll(pre.interfaces);
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String c = todo.poll();
      if (c.equals("java/lang/Object") || !seen.add(c)) {
        continue; // Object's constructor calls nothing
      }
      byte[] bytes = classFile(c);
      if (bytes == null) {
        return true;
      }
      ClassNode node = new ClassNode();
      new org.objectweb.asm.ClassReader(bytes)
          .accept(node, org.objectweb.asm.ClassReader.SKIP_CODE);
      if (node.methods.stream().anyMatch(m -> method.equals(m.name + m.desc))) {
        return true;
      }
      if (node.superName != null) {
        todo.add(node.superName);
      }
      todo.addAll(node.interfaces);
    }
    return false;
  }

  /** A class file of the old release, else of the JDK; null if neither has it. */
  private byte[] classFile(String name) {
    byte[] bytes = preClasses.apply(name);
    if (bytes != null) {
      return bytes;
    }
    try (java.io.InputStream in = ClassLoader.getSystemResourceAsStream(name + ".class")) {
      return in == null || !name.startsWith("java") ? null : in.readAllBytes();
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** The methods of {@code pre} ({@code owner.name+desc}) that store into {@code name:desc}. */
  private static Set<String> writers(ClassNode pre, String field) {
    Set<String> out = new HashSet<>();
    for (org.objectweb.asm.tree.MethodNode m : pre.methods) {
      for (org.objectweb.asm.tree.AbstractInsnNode insn : m.instructions) {
        if (insn instanceof org.objectweb.asm.tree.FieldInsnNode f
            && f.getOpcode() == Opcodes.PUTFIELD
            && f.owner.equals(pre.name)
            && field.equals(f.name + ":" + f.desc)) {
          out.add(pre.name + "." + m.name + m.desc);
          break;
        }
      }
    }
    return out;
  }

  /**
   * When a class's construction changed, finds where its old objects are kept: static caches
   * (cleared, so the fixed code rebuilds them) and static singletons (recomputed by the static
   * state planner). Returns whether any was found.
   */
  private boolean coverBuiltState(
      String name, ClassDiff c, ClassState state, Assessment assessment) {
    if (!c.has(ChangeKind.INIT_ONLY_CODE_CHANGED)) {
      return false;
    }
    List<CachePlanner.Cache> caches = CachePlanner.cachesOf(name, post.names(), post, world.post);
    if (!caches.isEmpty()) {
      resetCaches(name, caches, assessment);
    }
    return !caches.isEmpty() || recomputesSingleton(state);
  }

  private void resetCaches(String name, List<CachePlanner.Cache> caches, Assessment assessment) {
    for (CachePlanner.Cache cache : caches) {
      output.actions.add(
          new StateAction(
              StateAction.Kind.CLEAR,
              dotted(cache.owner()),
              cache.field(),
              null,
              "cached " + dotted(name) + " objects were built by the old code"));
    }
    assessment.mechanisms.add(Mechanism.CACHE_RESET);
    assessment.notes.add(
        "cached "
            + dotted(name)
            + " objects built by the old code are dropped from "
            + caches.stream().map(k -> dotted(k.owner()) + "." + k.field()).toList()
            + " and rebuilt on demand; objects the program holds elsewhere keep the old state");
  }

  /** Whether the static state planner recomputes a static field built by the changed code. */
  private static boolean recomputesSingleton(ClassState state) {
    return state.decisions().stream()
        .anyMatch(
            d ->
                d.strategy() != Strategy.HOOK
                    && d.strategy() != Strategy.ADDED
                    && d.reason().contains("which runs code the update changes"));
  }
}
