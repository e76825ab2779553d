package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;
import static io.jsplice.create.live.LivePlanner.read;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Decides which classes of an update are merged into the final class they extend ({@link
 * MergedSubclasses}), and what that means for the rest of the plan: where their members live
 * ({@link Relocations}) and which methods of the final class dispatch to them by kind ({@link
 * HostDispatch}). A subclass is merged when the update adds it, its superclass is a loaded class
 * that is final in the running JVM, and nothing in it needs a real class of its own: no interfaces
 * beyond its superclass's, no subclasses of its own, no method handles to its members.
 */
final class MergePlanner {
  private final UpdateClasses update;
  private final InstalledWorld world;
  private final Map<String, String> refusals = new LinkedHashMap<>(); // subclass -> why not
  private final Map<String, ClassNode> nodes = new LinkedHashMap<>();

  private MergePlanner(UpdateClasses update, InstalledWorld world) {
    this.update = update;
    this.world = world;
  }

  /** Decides the merged subclasses, into {@code world.merged}. Runs before constructors. */
  static MergePlanner decide(UpdateClasses update, InstalledWorld world) {
    MergePlanner out = new MergePlanner(update, world);
    for (String name : update.added.keySet()) {
      ClassNode node = read(update.post.bytes(name));
      ClassHierarchy.ClassInfo superInfo =
          node.superName == null ? null : world.installed.info(node.superName);
      if (superInfo == null
          || (superInfo.access() & Opcodes.ACC_FINAL) == 0
          || superInfo.isInterface()
          || (node.access & Opcodes.ACC_INTERFACE) != 0) {
        continue;
      }
      out.nodes.put(name, node);
      String why = out.whyNot(node);
      if (why != null) {
        out.refusals.put(name, why);
      } else {
        world.merged.merge(name, node.superName);
        java.util.Set<String> ctors = new java.util.LinkedHashSet<>();
        node.methods.stream().filter(m -> m.name.equals("<init>")).forEach(m -> ctors.add(m.desc));
        world.constructors.buildByFactories(name, ctors);
        world.constructors.buildsObjectsOf(name, node.superName);
      }
    }
    return out;
  }

  private String whyNot(ClassNode node) {
    String self = dotted(node.name);
    String finalClass = dotted(node.superName);
    String prefix =
        self
            + " extends "
            + finalClass
            + ", which is final in the running JVM; jsplice builds its objects as "
            + finalClass
            + " objects of its kind, which it cannot here: ";
    if (!update.pairs.containsKey(node.superName)
        && update.diff.pre().bytes(node.superName) == null) {
      return prefix + finalClass + " is not part of the release";
    }
    for (String i : node.interfaces) {
      if (!world.installed.isSubtype(node.superName, i)) {
        return prefix + "it implements " + dotted(i) + ", which " + finalClass + " does not";
      }
    }
    for (String other : update.added.keySet()) {
      if (node.name.equals(read(update.post.bytes(other)).superName)) {
        return prefix + dotted(other) + " extends it in turn";
      }
    }
    for (MethodNode m : node.methods) {
      if (m.name.equals("<init>")) {
        Object parsed = ConstructorFactories.parse(node, m);
        if (parsed instanceof String why) {
          return prefix + "its constructor " + m.desc + " " + why.replace("its ", "has ");
        }
        continue;
      }
      if ((m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) == 0) {
        String host = selected(node.superName, m.name + m.desc);
        if (host != null
            && !update.pairs.containsKey(host)
            && update.diff.pre().bytes(host) == null) {
          return prefix
              + "it overrides "
              + dotted(host)
              + "."
              + m.name
              + ", outside the release, where jsplice does not patch it to dispatch";
        }
      }
      if ((m.access & Opcodes.ACC_NATIVE) != 0) {
        return prefix + "its method " + m.name + " is native";
      }
    }
    for (String name : update.touched()) {
      ClassNode user = read(update.post.bytes(name));
      for (MethodNode m : user.methods) {
        for (TryCatchBlockNode block : m.tryCatchBlocks) {
          if (node.name.equals(block.type)) {
            return prefix + dotted(name) + " catches it as an exception";
          }
        }
        for (AbstractInsnNode insn : m.instructions) {
          String handle = handleTo(insn, node.name);
          if (handle != null) {
            return prefix + dotted(name) + " refers to " + handle + " as a method handle";
          }
        }
      }
    }
    return null;
  }

  /** A method handle in {@code insn} to a member of {@code owner}, in words; null if none. */
  private static String handleTo(AbstractInsnNode insn, String owner) {
    List<Object> constants = new ArrayList<>();
    if (insn instanceof InvokeDynamicInsnNode indy) {
      constants.addAll(List.of(indy.bsmArgs));
      if (indy.desc.contains("L" + owner + ";")) {
        return "a lambda over " + owner.replace('/', '.');
      }
    } else if (insn instanceof LdcInsnNode ldc) {
      constants.add(ldc.cst);
    }
    for (Object c : constants) {
      if (c instanceof Handle h
          && (h.getOwner().equals(owner) || h.getDesc().contains("L" + owner + ";"))) {
        return h.getOwner().replace('/', '.') + "." + h.getName();
      }
      if (c instanceof Type t
          && t.getDescriptor().contains("L" + owner + ";")
          && t.getSort() == Type.METHOD) {
        return "a lambda over " + owner.replace('/', '.');
      }
    }
    return null;
  }

  /**
   * Registers where the merged subclasses' members live and the dispatch of their overrides. Runs
   * once the companions are placed, with the planner that gives dispatch hosts what they need.
   */
  void relocate(OverridePlanner overrides) {
    for (String s : world.merged.subclasses()) {
      ClassNode node = nodes.get(s);
      String x = node.superName;
      world.companion(s, x);
      for (FieldNode f : node.fields) {
        if ((f.access & Opcodes.ACC_STATIC) == 0) {
          world.relocations.shadow(
              s,
              f.name + ":" + f.desc,
              new Relocations.Shadow(
                  s,
                  Companions.getterName(f.name),
                  Companions.setterName(f.name),
                  world.merged.remap(f.desc)));
        }
      }
      for (MethodNode m : node.methods) {
        if ((m.access & Opcodes.ACC_STATIC) != 0 || m.name.startsWith("<")) {
          continue;
        }
        String key = m.name + m.desc;
        String desc = world.merged.remap(CompanionBuilder.withReceiver(x, m.desc));
        world.relocations.moveMethod(s, key, new Relocations.MovedMethod(s, m.name, desc));
        if ((m.access & Opcodes.ACC_PRIVATE) != 0) {
          continue;
        }
        String host = selected(x, key);
        if (host != null) {
          overrides.addEntry(
              host,
              key,
              new HostDispatch.Entry(null, s, s, Companions.directName(m.name), desc, x));
        }
      }
    }
  }

  /** The class whose {@code key} the JVM runs for objects of {@code finalClass}; null if none. */
  private String selected(String finalClass, String key) {
    for (String t = finalClass; t != null; ) {
      ClassHierarchy.ClassInfo info = world.installed.info(t);
      if (info == null) {
        return null;
      }
      Integer access = info.members().get(key);
      if (access != null && (access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) == 0) {
        return (access & Opcodes.ACC_ABSTRACT) != 0 ? null : t;
      }
      t = info.superName();
    }
    return null;
  }

  /** Why an added class that extends a final class cannot be merged; null if it is merged. */
  String refusal(String added) {
    return refusals.get(added);
  }

  /** The merged subclass as the fixed release has it. */
  ClassNode node(String subclass) {
    return nodes.get(subclass);
  }
}
