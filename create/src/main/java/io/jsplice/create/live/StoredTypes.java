package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * What static types a release stores into a field: at each {@code putfield}/{@code putstatic}, the
 * type the verifier knows for the value, and, where the value is a parameter of its method, the
 * types the method's callers in the release pass. Answers whether every value ever stored is of a
 * given type, which is what lets a field keep its old type in the running JVM while the fixed code
 * reads it as a narrower one (or writes a wider one).
 */
final class StoredTypes {
  private final Function<String, byte[]> release;
  private final Iterable<String> names;
  private final ClassHierarchy hierarchy;
  private final Map<String, ClassNode> nodes = new HashMap<>();

  /**
   * @param names the classes of the release
   * @param release their class files by internal name
   * @param hierarchy the release's hierarchy, to compare types
   */
  StoredTypes(Iterable<String> names, Function<String, byte[]> release, ClassHierarchy hierarchy) {
    this.names = names;
    this.release = release;
    this.hierarchy = hierarchy;
  }

  /**
   * Where a store of {@code owner.name:desc} may put a value that is not a {@code type}, in words;
   * empty if every store provably puts a {@code type} (or null).
   */
  List<String> storesOutside(String owner, String name, String desc, String type) {
    List<String> out = new ArrayList<>();
    for (String className : names) {
      ClassNode node = node(className);
      for (MethodNode m : node.methods) {
        List<Integer> sites = new ArrayList<>();
        for (int i = 0; i < m.instructions.size(); i++) {
          if (m.instructions.get(i) instanceof FieldInsnNode f
              && (f.getOpcode() == Opcodes.PUTFIELD || f.getOpcode() == Opcodes.PUTSTATIC)
              && f.name.equals(name)
              && f.desc.equals(desc)
              && (f.owner.equals(owner) || hierarchy.isSubtype(f.owner, owner))) {
            sites.add(i);
          }
        }
        if (sites.isEmpty()) {
          continue;
        }
        Frame<BasicValue>[] types = types(className, m);
        Frame<SourceValue>[] sources = ConstructorSites.frames(className, m);
        for (int site : sites) {
          String where = className.replace('/', '.') + "." + m.name;
          if (types == null || types[site] == null) {
            out.add(where + " (code jsplice cannot analyze)");
            continue;
          }
          BasicValue value = types[site].getStack(types[site].getStackSize() - 1);
          if (within(value, type)) {
            continue;
          }
          int param = parameter(m, sources == null ? null : sources[site]);
          if (param < 0) {
            out.add(where + " stores a " + typeName(value));
          } else {
            out.addAll(passedOutside(className, m, param, type, 3));
          }
        }
      }
    }
    return out;
  }

  /** What callers pass as parameter {@code param} of {@code owner.m} that is not a {@code type}. */
  private List<String> passedOutside(
      String owner, MethodNode m, int param, String type, int depth) {
    List<String> out = new ArrayList<>();
    int args = Type.getArgumentTypes(m.desc).length;
    for (String className : names) {
      ClassNode node = node(className);
      for (MethodNode caller : node.methods) {
        Frame<BasicValue>[] types = null;
        Frame<SourceValue>[] sources = null;
        for (int i = 0; i < caller.instructions.size(); i++) {
          if (!(caller.instructions.get(i) instanceof MethodInsnNode call)
              || !call.owner.equals(owner)
              || !call.name.equals(m.name)
              || !call.desc.equals(m.desc)) {
            continue;
          }
          if (types == null) {
            types = types(className, caller);
          }
          String where = className.replace('/', '.') + "." + caller.name;
          if (types == null || types[i] == null) {
            out.add(where + " (code jsplice cannot analyze)");
            continue;
          }
          BasicValue value = types[i].getStack(types[i].getStackSize() - args + param);
          if (within(value, type)) {
            continue;
          }
          if (sources == null) {
            sources = ConstructorSites.frames(className, caller);
          }
          int passed =
              depth > 1 && sources != null && sources[i] != null
                  ? parameter(caller, sources[i], args - param)
                  : -1;
          if (passed >= 0) {
            out.addAll(passedOutside(className, caller, passed, type, depth - 1));
          } else {
            out.add(where + " passes a " + typeName(value));
          }
        }
      }
    }
    return out;
  }

  /** The argument index of a method parameter the value comes from, unchanged; -1 otherwise. */
  private static int parameter(MethodNode m, Frame<SourceValue> frame) {
    return parameter(m, frame, 1);
  }

  /** As above, for the value {@code fromTop} entries down the stack (1: the top). */
  private static int parameter(MethodNode m, Frame<SourceValue> frame, int fromTop) {
    if (frame == null) {
      return -1;
    }
    SourceValue value = frame.getStack(frame.getStackSize() - fromTop);
    if (value.insns.size() != 1
        || !(value.insns.iterator().next() instanceof VarInsnNode load)
        || load.getOpcode() != Opcodes.ALOAD) {
      return -1;
    }
    for (AbstractInsnNode insn : m.instructions) {
      if (insn instanceof VarInsnNode v && v.getOpcode() == Opcodes.ASTORE && v.var == load.var) {
        return -1; // the slot is reused: not the parameter any more
      }
    }
    int slot = (m.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
    Type[] args = Type.getArgumentTypes(m.desc);
    for (int i = 0; i < args.length; i++) {
      if (slot == load.var) {
        return i;
      }
      slot += args[i].getSize();
    }
    return -1;
  }

  private boolean within(BasicValue value, String type) {
    Type t = value.getType();
    if (t == null || t.getSort() != Type.OBJECT && t.getSort() != Type.ARRAY) {
      return false;
    }
    if (t.getInternalName().equals("null")) {
      return true;
    }
    return t.getSort() == Type.OBJECT && hierarchy.isSubtype(t.getInternalName(), type);
  }

  private static String typeName(BasicValue value) {
    Type t = value.getType();
    return t == null ? "value" : t.getClassName();
  }

  private ClassNode node(String name) {
    return nodes.computeIfAbsent(name, n -> LivePlanner.read(release.apply(n)));
  }

  @SuppressWarnings("unchecked")
  private Frame<BasicValue>[] types(String owner, MethodNode m) {
    int maxStack = m.maxStack;
    int maxLocals = m.maxLocals;
    m.maxStack = Math.max(maxStack, 1024);
    m.maxLocals = Math.max(maxLocals, 256);
    try {
      return new Analyzer<>(new HierarchyVerifier(owner, hierarchy, false)).analyze(owner, m);
    } catch (AnalyzerException | RuntimeException e) {
      return null;
    } finally {
      m.maxStack = maxStack;
      m.maxLocals = maxLocals;
    }
  }
}
