package io.jsplice.create.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Every call within the fixed release, with virtual calls resolved to every implementation the
 * release has (class hierarchy analysis) and lambdas to their bodies; and, from it, every method
 * that can reach what an update changes: a changed method, a method of an added class, or a read of
 * static state the update recomputes. Unlike {@link CallGraph}, which follows the named method only
 * and to a bounded depth, this over-approximates, as deciding which caches may hold results of
 * changed code needs: a cache missed would keep an old result in force.
 */
final class ReleaseCalls {
  private final Map<String, ClassNode> classes = new HashMap<>();
  private final Map<String, Set<String>> subtypes = new HashMap<>(); // type -> direct subtypes
  private final Map<String, Set<String>> callers = new HashMap<>(); // method -> methods calling it
  private final Set<String> reaching = new HashSet<>();

  /**
   * @param post the fixed release
   * @param changedMethods {@code owner.name+desc} of the methods the update changes
   * @param addedClasses internal names of the classes it adds
   * @param changedStatics {@code owner.name:desc} of the static fields it recomputes
   */
  ReleaseCalls(
      PostView post,
      Set<String> changedMethods,
      Set<String> addedClasses,
      Set<String> changedStatics) {
    for (String name : post.names()) {
      byte[] bytes = post.bytes(name);
      if (bytes != null) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        classes.put(name, node);
        if (node.superName != null) {
          subtypes.computeIfAbsent(node.superName, k -> new HashSet<>()).add(name);
        }
        for (String i : node.interfaces) {
          subtypes.computeIfAbsent(i, k -> new HashSet<>()).add(name);
        }
      }
    }
    Deque<String> work = new ArrayDeque<>();
    for (ClassNode node : classes.values()) {
      for (MethodNode m : node.methods) {
        String caller = node.name + "." + m.name + m.desc;
        boolean seed = changedMethods.contains(caller) || addedClasses.contains(node.name);
        for (AbstractInsnNode insn : m.instructions) {
          if (insn instanceof MethodInsnNode call) {
            for (String target : targets(call.owner, call.name, call.desc, call.getOpcode())) {
              callers.computeIfAbsent(target, k -> new HashSet<>()).add(caller);
            }
          } else if (insn instanceof InvokeDynamicInsnNode indy) {
            for (Object arg : indy.bsmArgs) {
              if (arg instanceof Handle h) {
                callers
                    .computeIfAbsent(
                        h.getOwner() + "." + h.getName() + h.getDesc(), k -> new HashSet<>())
                    .add(caller);
              }
            }
          } else if (insn instanceof FieldInsnNode f
              && f.getOpcode() == Opcodes.GETSTATIC
              && changedStatics.contains(f.owner + "." + f.name + ":" + f.desc)) {
            seed = true;
          }
        }
        if (seed && reaching.add(caller)) {
          work.add(caller);
        }
      }
    }
    for (String method : changedMethods) {
      if (reaching.add(method)) {
        work.add(method);
      }
    }
    while (!work.isEmpty()) {
      for (String caller : callers.getOrDefault(work.pop(), Set.of())) {
        if (reaching.add(caller)) {
          work.add(caller);
        }
      }
    }
  }

  /** Whether running the method ({@code owner.name+desc}) can reach what the update changes. */
  boolean reachesChange(String method) {
    return reaching.contains(method);
  }

  /**
   * The methods ({@code owner.name+desc}) whose running can reach one of {@code targets}, the
   * targets included, by the same calls (every implementation, lambdas) as {@link #reachesChange}.
   */
  Set<String> reaching(Set<String> targets) {
    Set<String> out = new HashSet<>(targets);
    Deque<String> work = new ArrayDeque<>(targets);
    while (!work.isEmpty()) {
      for (String caller : callers.getOrDefault(work.pop(), Set.of())) {
        if (out.add(caller)) {
          work.add(caller);
        }
      }
    }
    return out;
  }

  /** The methods ({@code owner.name+desc}) of the release with a call that may run the method. */
  Set<String> callersOf(String method) {
    return callers.getOrDefault(method, Set.of());
  }

  /** The release's classes, by internal name. */
  Map<String, ClassNode> classes() {
    return classes;
  }

  /**
   * The methods a call may run: the one it names (or the one it inherits), and for a virtual call
   * every override in the release's subtypes of its owner.
   */
  private List<String> targets(String owner, String name, String desc, int opcode) {
    List<String> out = new ArrayList<>();
    String declared = declaring(owner, name, desc);
    out.add((declared == null ? owner : declared) + "." + name + desc);
    if (opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKEINTERFACE) {
      Deque<String> work = new ArrayDeque<>(subtypes.getOrDefault(owner, Set.of()));
      Set<String> seen = new HashSet<>();
      while (!work.isEmpty()) {
        String sub = work.pop();
        if (!seen.add(sub)) {
          continue;
        }
        ClassNode node = classes.get(sub);
        if (node != null
            && node.methods.stream().anyMatch(m -> m.name.equals(name) && m.desc.equals(desc))) {
          out.add(sub + "." + name + desc);
        }
        work.addAll(subtypes.getOrDefault(sub, Set.of()));
      }
    }
    return out;
  }

  /** The class of the release declaring the method that {@code owner} has, or null. */
  private String declaring(String owner, String name, String desc) {
    for (String c = owner; c != null; ) {
      ClassNode node = classes.get(c);
      if (node == null) {
        return null;
      }
      if (node.methods.stream().anyMatch(m -> m.name.equals(name) && m.desc.equals(desc))) {
        return c;
      }
      c = node.superName;
    }
    return null;
  }
}
