package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;
import static io.jsplice.create.live.LivePlanner.read;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Decides, for every constructor an update adds to a loaded class, whether it can be lowered for
 * its callers or must be refused. A loaded class cannot gain constructors, so the one use a stock
 * JVM can serve is the super call of a class the update adds ({@link ConstructorLowering}); an
 * added constructor that no code of the update calls is left out, and one that other code calls is
 * refused, naming the caller.
 */
final class AddedConstructors {
  private final UpdateClasses update;

  /** Per host: added constructors lowered for their subclasses' super calls, by descriptor. */
  private final Map<String, Map<String, ConstructorLowering.Lowered>> lowered =
      new LinkedHashMap<>();

  /** Per host: why an added constructor cannot be installed, keyed by member key. */
  private final Map<String, Map<String, String>> refused = new LinkedHashMap<>();

  private AddedConstructors(UpdateClasses update) {
    this.update = update;
  }

  /** Decides every added constructor of the update's modified classes. */
  static AddedConstructors decide(UpdateClasses update) {
    AddedConstructors out = new AddedConstructors(update);
    for (Map.Entry<String, SchemaComparison> e : update.schemas.entrySet()) {
      for (MethodNode ctor : e.getValue().addedConstructors.values()) {
        out.decide(e.getKey(), ctor);
      }
    }
    return out;
  }

  private void decide(String host, MethodNode ctor) {
    String key = ctor.name + ctor.desc;
    List<String> callers = callersOf(host, key);
    if (callers.isEmpty()) {
      return; // left out: nothing calls it
    }
    String other =
        callers.stream()
            .filter(c -> !update.added.containsKey(c) || !host.equals(superNameOf(c)))
            .findFirst()
            .orElse(null);
    if (other != null) {
      refuse(host, key, dotted(other) + " calls");
      return;
    }
    ClassNode[] pair = update.pairs.get(host);
    Object result = ConstructorLowering.lower(pair[0], pair[1], ctor);
    if (result instanceof ConstructorLowering.Lowered l) {
      lowered.computeIfAbsent(host, h -> new LinkedHashMap<>()).put(ctor.desc, l);
    } else {
      refuse(host, key, "the update's new subclasses call, and " + result);
    }
  }

  private String superNameOf(String name) {
    return read(update.post.bytes(name)).superName;
  }

  private void refuse(String host, String key, String why) {
    refused.computeIfAbsent(host, h -> new LinkedHashMap<>()).put(key, why);
  }

  /** The classes of the update whose code calls {@code owner.<init>desc}. */
  private List<String> callersOf(String owner, String ctor) {
    String desc = ctor.substring("<init>".length());
    List<String> names = new ArrayList<>(update.pairs.keySet());
    names.addAll(update.added.keySet());
    List<String> out = new ArrayList<>();
    for (String name : names) {
      byte[] bytes = update.post.bytes(name);
      if (bytes != null && callsConstructor(bytes, owner, desc)) {
        out.add(name);
      }
    }
    return out;
  }

  private static boolean callsConstructor(byte[] classFile, String owner, String desc) {
    boolean[] found = new boolean[1];
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public MethodVisitor visitMethod(
                  int access, String name, String d, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                  @Override
                  public void visitMethodInsn(int op, String o, String n, String md, boolean itf) {
                    if (op == Opcodes.INVOKESPECIAL
                        && o.equals(owner)
                        && n.equals("<init>")
                        && md.equals(desc)) {
                      found[0] = true;
                    }
                  }
                };
              }
            },
            ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return found[0];
  }

  /** Whether the host has added constructors lowered into its companion. */
  boolean lowersAny(String host) {
    return lowered.containsKey(host);
  }

  /** The host's lowered constructors by descriptor; null if none. */
  Map<String, ConstructorLowering.Lowered> lowered(String host) {
    return lowered.get(host);
  }

  /** Why the host's added constructors cannot be installed, one sentence each. */
  List<String> refusals(String host) {
    List<String> out = new ArrayList<>();
    refused
        .getOrDefault(host, Map.of())
        .forEach(
            (ctor, why) ->
                out.add(
                    dotted(host)
                        + " adds the constructor "
                        + ctor
                        + ", which "
                        + why
                        + "; a loaded class cannot gain constructors"));
    return out;
  }

  /** What an operator should know about the host's added constructors. */
  List<String> notes(String host, SchemaComparison schema) {
    List<String> out = new ArrayList<>();
    for (String ctor : schema.addedConstructors.keySet()) {
      boolean isRefused = refused.getOrDefault(host, Map.of()).containsKey(ctor);
      boolean isLowered =
          lowered.getOrDefault(host, Map.of()).containsKey(ctor.substring("<init>".length()));
      if (!isRefused && !isLowered) {
        out.add(
            "the constructor "
                + ctor
                + " that the release adds is left out: no code of"
                + " the update calls it");
      }
    }
    if (lowered.containsKey(host)) {
      out.addAll(ConstructorLowering.notes(host, lowered.get(host)));
    }
    return out;
  }

  /**
   * Points an added class's super calls of lowered constructors at an existing constructor and the
   * rest in its superclass's companion.
   */
  void rewriteSuperCalls(ClassNode added, Map<String, String> companions) {
    Map<String, ConstructorLowering.Lowered> superLowered = lowered.get(added.superName);
    if (superLowered == null) {
      return;
    }
    Map<String, String> initNames = new LinkedHashMap<>();
    superLowered
        .keySet()
        .forEach(d -> initNames.put(d, Companions.constructorRestName(d, superLowered)));
    ConstructorLowering.rewriteSuperCalls(
        added, added.superName, superLowered, initNames, companions.get(added.superName));
  }
}
