package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * The value an instance field the update adds must have in objects built before the update, derived
 * from the sites that built them (pdfbox 2.0.24's {@code COSInteger.isValid}: the fixed {@code
 * get(long)} builds every number with {@code new COSInteger(value, true)}, so the numbers the old
 * {@code get(long)} cached are valid).
 *
 * <p>The rule, for an instance field {@code f} that class {@code C} gains. The objects of {@code C}
 * that exist when the update is applied were built by the old release, each at a creation site: a
 * {@code new C(...)} in some method. The field gets the constant {@code v} when all of these hold:
 *
 * <ul>
 *   <li>in the fixed release, only {@code C}'s constructors write {@code f} (within the package
 *       when {@code f} is private, anywhere in the release otherwise), each at most once,
 *       straight-line, from one of its own parameters that it never reassigns, or from a constant;
 *       a constructor that delegates with {@code this(...)} writes it only through the call, which
 *       passes a constant or one of its own parameters. So the value an object built at a site gets
 *       is a function of the constructor and the constants the site passes;
 *   <li>every old constructor of {@code C} is private or package-private, so the old objects were
 *       built by the library's own package, which the release holds whole (objects the application
 *       built through a public or protected constructor, or as its own subclass, may have been
 *       built with any value);
 *   <li>{@code C} is not serializable in the old release (deserialization builds objects without a
 *       creation site) and no class of the old release extends it;
 *   <li>every method of the old release with a {@code new C(...)} is in the fixed release (same
 *       class, name and descriptor) and builds {@code C} there too, and every {@code new C(...)} in
 *       those fixed methods gives {@code f} the same constant {@code v}: an object the old method
 *       built corresponds to one the fixed method would build, whichever of its sites built it.
 * </ul>
 *
 * <p>Sites the fixed release adds in methods the old release does not have build only objects made
 * after the update and do not count. Objects built by reflection on a private constructor, by
 * {@code Unsafe} or JNI are outside the rule; a clone holds the value of the object it copies. When
 * the rule does not hold, {@link Derivation#why} says which condition failed, naming the field and
 * the sites.
 */
final class CreationSites {
  private final Function<String, byte[]> pre;
  private final Function<String, byte[]> post;
  private final Iterable<String> preNames;
  private final Iterable<String> postNames;
  private final Map<String, ClassNode> read = new HashMap<>();

  /**
   * @param pre the vulnerable release's class files by internal name (null if absent)
   * @param preNames the internal names of the vulnerable release's classes
   * @param post the fixed release's class files by internal name (null if absent)
   * @param postNames the internal names of the fixed release's classes
   */
  CreationSites(
      Function<String, byte[]> pre,
      Iterable<String> preNames,
      Function<String, byte[]> post,
      Iterable<String> postNames) {
    this.pre = pre;
    this.preNames = preNames;
    this.post = post;
    this.postNames = postNames;
  }

  /**
   * What objects built before the update hold in an added field: {@code value} (the constant's
   * instructions) when the creation sites agree on it, else null and {@code why}.
   */
  record Derivation(String field, InsnList value, String why) {
    static Derivation refused(String field, String why) {
      return new Derivation(field, null, field + ": " + why);
    }
  }

  /**
   * The value of the added instance field {@code field} for objects of {@code preClass} built
   * before the update, by the rule of this class.
   */
  Derivation derive(ClassNode preClass, ClassNode postClass, FieldNode field) {
    String c = postClass.name;
    String f = field.name;
    String pkg = InstalledWorld.packageOf(c);
    // 1. In the fixed release, only C's constructors write the field, in a form we can follow.
    Map<String, Source> sources = new HashMap<>(); // constructor descriptor -> source
    boolean privateField = (field.access & Opcodes.ACC_PRIVATE) != 0;
    Derivation untouched =
        new AddedCodeWriters(n -> read(pre, n), preNames, n -> read(post, n), postNames)
            .derive(postClass, field);
    if (untouched != null) {
      return untouched;
    }
    for (String name : postNames) {
      if (privateField && !InstalledWorld.packageOf(name).equals(pkg)) {
        continue;
      }
      ClassNode k = name.equals(c) ? postClass : read(post, name);
      if (k == null) {
        continue;
      }
      for (MethodNode m : k.methods) {
        boolean own = k == postClass && m.name.equals("<init>");
        for (AbstractInsnNode insn : m.instructions) {
          if (insn instanceof FieldInsnNode put
              && put.getOpcode() == Opcodes.PUTFIELD
              && put.name.equals(f)
              && put.desc.equals(field.desc)
              && !own) {
            return Derivation.refused(
                f,
                "the fixed release writes it outside "
                    + dotted(c)
                    + "'s constructors, in "
                    + site(k.name, m)
                    + ", so its value depends on what ran on the object");
          }
        }
      }
    }
    for (MethodNode ctor : postClass.methods) {
      if (ctor.name.equals("<init>")
          && source(postClass, ctor, field, sources, new TreeSet<>()) == null) {
        return Derivation.refused(
            f,
            "the fixed constructor "
                + site(c, ctor)
                + " does not set it from a parameter or a constant, once and straight-line");
      }
    }
    // 2. The old objects were built by the library's own package.
    for (MethodNode ctor : preClass.methods) {
      if (ctor.name.equals("<init>")
          && (ctor.access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) != 0) {
        return Derivation.refused(
            f,
            "the old constructor "
                + site(preClass.name, ctor)
                + " is "
                + ((ctor.access & Opcodes.ACC_PUBLIC) != 0 ? "public" : "protected")
                + ": objects the application built with it may hold any value");
      }
    }
    String serializable = serializable(preClass);
    if (serializable != null) {
      return Derivation.refused(f, serializable);
    }
    // 3. The old creation sites, by method.
    Map<String, String> oldSites = new LinkedHashMap<>(); // class.method+desc -> as printed
    for (String name : preNames) {
      if (!InstalledWorld.packageOf(name).equals(pkg)) {
        continue;
      }
      ClassNode k = name.equals(preClass.name) ? preClass : read(pre, name);
      if (k == null) {
        continue;
      }
      if (preClass.name.equals(k.superName)) {
        return Derivation.refused(
            f,
            "the old release's " + dotted(k.name) + " extends it: its objects are built there too");
      }
      for (MethodNode m : k.methods) {
        if (!sites(k, m, preClass.name).isEmpty()) {
          oldSites.put(k.name + "." + m.name + m.desc, site(k.name, m));
        }
      }
    }
    // 4. The fixed versions of those methods agree on one constant.
    String agreed = null;
    AbstractInsnNode value = null;
    Map<String, List<String>> byValue = new LinkedHashMap<>();
    for (String key : oldSites.keySet()) {
      int dot = key.indexOf('.');
      String owner = key.substring(0, dot);
      String method = key.substring(dot + 1);
      ClassNode k = owner.equals(c) ? postClass : read(post, owner);
      MethodNode now = k == null ? null : method(k, method);
      List<MethodInsnNode> sites = now == null ? List.of() : sites(k, now, c);
      if (sites.isEmpty()) {
        return Derivation.refused(
            f,
            "the old "
                + oldSites.get(key)
                + " builds "
                + dotted(c)
                + " and the fixed release "
                + (now == null ? "does not have that method" : "builds none there")
                + ": what it would give those objects is unknown");
      }
      Frame<SourceValue>[] frames = frames(k.name, now);
      for (MethodInsnNode call : sites) {
        AbstractInsnNode v =
            valueAt(call, frames == null ? null : frames[now.instructions.indexOf(call)], sources);
        String text =
            v == null ? "an unknown value" : show(FieldSuccession.text(List.of(v)), field);
        byValue.computeIfAbsent(text, t -> new ArrayList<>()).add(site(k.name, now));
        if (v == null) {
          return Derivation.refused(
              f,
              "the fixed "
                  + site(k.name, now)
                  + " builds "
                  + dotted(c)
                  + " with a value that is not a constant");
        }
        if (agreed == null) {
          agreed = text;
          value = v;
        }
      }
    }
    if (byValue.size() > 1) {
      StringBuilder why = new StringBuilder("the creation sites disagree:");
      byValue.forEach(
          (text, sites) ->
              why.append(' ')
                  .append(String.join(", ", new TreeSet<>(sites)))
                  .append(" give ")
                  .append(text)
                  .append(';'));
      return Derivation.refused(f, why.substring(0, why.length() - 1));
    }
    if (value == null) {
      return Derivation.refused(f, "the old release builds no " + dotted(c) + " itself");
    }
    InsnList out = new InsnList();
    out.add(value.clone(null));
    return new Derivation(
        f,
        out,
        "objects built before the update get "
            + f
            + " = "
            + agreed
            + ", what the fixed "
            + String.join(", ", new TreeSet<>(byValue.get(agreed)))
            + " give"
            + (byValue.get(agreed).size() == 1 ? "s" : "")
            + " the objects the old one built");
  }

  /** Where a constructor's value of the field comes from. */
  private sealed interface Source {}

  private record Parameter(int index) implements Source {}

  private record Constant(AbstractInsnNode insn) implements Source {}

  /**
   * The source of the field's value in objects a constructor builds; null when it cannot be told.
   */
  private Source source(
      ClassNode c, MethodNode ctor, FieldNode field, Map<String, Source> memo, TreeSet<String> on) {
    Source known = memo.get(ctor.desc);
    if (known != null || !on.add(ctor.desc)) {
      return known;
    }
    Source out = computeSource(c, ctor, field, memo, on);
    memo.put(ctor.desc, out);
    return out;
  }

  private Source computeSource(
      ClassNode c, MethodNode ctor, FieldNode field, Map<String, Source> memo, TreeSet<String> on) {
    int stores = 0;
    for (AbstractInsnNode insn : ctor.instructions) {
      if (insn instanceof FieldInsnNode put
          && put.getOpcode() == Opcodes.PUTFIELD
          && put.name.equals(field.name)) {
        stores++;
      }
    }
    if (ConstructorStatements.delegatesToThis(c.name, ctor)) {
      if (stores != 0) {
        return null;
      }
      MethodInsnNode call = delegation(c.name, ctor);
      MethodNode target = call == null ? null : method(c, call.name + call.desc);
      Source inner = target == null ? null : source(c, target, field, memo, on);
      if (!(inner instanceof Parameter p)) {
        return inner;
      }
      Frame<SourceValue>[] frames = frames(c.name, ctor);
      AbstractInsnNode arg =
          frames == null ? null : argument(call, frames[ctor.instructions.indexOf(call)], p.index);
      return arg == null ? null : sourceOf(ctor, arg);
    }
    if (stores == 0) {
      return new Constant(defaultValue(field.desc));
    }
    int[] range = ConstructorStatements.straightLine(c.name, ctor, field.name, field.desc);
    if (range == null) {
      return null;
    }
    List<AbstractInsnNode> expression = new ArrayList<>();
    for (int i = range[0] + 1; i < range[1]; i++) {
      if (ctor.instructions.get(i).getOpcode() >= 0) {
        expression.add(ctor.instructions.get(i));
      }
    }
    return expression.size() == 1 ? sourceOf(ctor, expression.get(0)) : null;
  }

  /** A constant, or a parameter the constructor never reassigns; null otherwise. */
  private static Source sourceOf(MethodNode ctor, AbstractInsnNode insn) {
    if (isConstant(insn)) {
      return new Constant(insn);
    }
    if (!(insn instanceof VarInsnNode load) || load.getOpcode() > Opcodes.ALOAD) {
      return null;
    }
    Type[] args = Type.getArgumentTypes(ctor.desc);
    int slot = 1;
    for (int i = 0; i < args.length; i++) {
      if (slot == load.var) {
        for (AbstractInsnNode other : ctor.instructions) {
          if (other instanceof VarInsnNode v
                  && v.getOpcode() >= Opcodes.ISTORE
                  && v.getOpcode() <= Opcodes.ASTORE
                  && v.var == slot
              || other instanceof IincInsnNode inc && inc.var == slot) {
            return null; // reassigned: the value stored need not be the argument
          }
        }
        return new Parameter(i);
      }
      slot += args[i].getSize();
    }
    return null;
  }

  /**
   * The constant a creation site gives the field: the constructor's constant, or the constant the
   * site passes for the constructor's parameter; null when not a constant.
   */
  private static AbstractInsnNode valueAt(
      MethodInsnNode call, Frame<SourceValue> frame, Map<String, Source> sources) {
    Source s = sources.get(call.desc);
    if (s instanceof Constant k) {
      return k.insn;
    }
    if (s instanceof Parameter p && frame != null) {
      AbstractInsnNode arg = argument(call, frame, p.index);
      return arg != null && isConstant(arg) ? arg : null;
    }
    return null;
  }

  /** The one instruction that pushed argument {@code index} of a call; null if not one. */
  private static AbstractInsnNode argument(
      MethodInsnNode call, Frame<SourceValue> frame, int index) {
    if (frame == null) {
      return null;
    }
    int count = Type.getArgumentTypes(call.desc).length;
    SourceValue v = frame.getStack(frame.getStackSize() - count + index);
    return v.insns.size() == 1 ? v.insns.iterator().next() : null;
  }

  /**
   * The calls of {@code C}'s constructors in a method that build a new object (not a {@code
   * this(...)} or {@code super(...)} call of a constructor on its own object).
   */
  private static List<MethodInsnNode> sites(ClassNode k, MethodNode m, String c) {
    List<MethodInsnNode> out = new ArrayList<>();
    MethodInsnNode delegation = m.name.equals("<init>") ? delegation(k.name, m) : null;
    if (delegation == null && m.name.equals("<init>")) {
      delegation = superCall(k, m);
    }
    for (AbstractInsnNode insn : m.instructions) {
      if (insn instanceof MethodInsnNode call
          && call.getOpcode() == Opcodes.INVOKESPECIAL
          && call.owner.equals(c)
          && call.name.equals("<init>")
          && call != delegation) {
        out.add(call);
      }
    }
    return out;
  }

  /** The first {@code invokespecial <init>} of a constructor when it is {@code this(...)}. */
  private static MethodInsnNode delegation(String owner, MethodNode ctor) {
    MethodInsnNode first = firstInit(owner, ctor);
    return first != null && first.owner.equals(owner) ? first : null;
  }

  /** The first {@code invokespecial <init>} of a constructor when it is {@code super(...)}. */
  private static MethodInsnNode superCall(ClassNode k, MethodNode ctor) {
    MethodInsnNode first = firstInit(k.name, ctor);
    return first != null && first.owner.equals(k.superName) ? first : null;
  }

  /**
   * The constructor's own {@code this(...)} or {@code super(...)}: javac emits it before any other
   * constructor call on a new object completes, so the first call of an {@code <init>} whose
   * receiver is local 0 unchanged.
   */
  private static MethodInsnNode firstInit(String owner, MethodNode ctor) {
    Frame<SourceValue>[] frames = frames(owner, ctor);
    if (frames == null) {
      return null;
    }
    for (int i = 0; i < ctor.instructions.size(); i++) {
      if (ctor.instructions.get(i) instanceof MethodInsnNode call
          && call.getOpcode() == Opcodes.INVOKESPECIAL
          && call.name.equals("<init>")
          && frames[i] != null) {
        int count = Type.getArgumentTypes(call.desc).length;
        Frame<SourceValue> frame = frames[i];
        SourceValue receiver = frame.getStack(frame.getStackSize() - count - 1);
        if (receiver.insns.size() == 1
            && receiver.insns.iterator().next() instanceof VarInsnNode v
            && v.getOpcode() == Opcodes.ALOAD
            && v.var == 0) {
          return call;
        }
      }
    }
    return null;
  }

  /** Why objects of the class may come from deserialization; null when they cannot. */
  private String serializable(ClassNode c) {
    TreeSet<String> seen = new TreeSet<>();
    List<String> todo = new ArrayList<>(List.of(c.name));
    while (!todo.isEmpty()) {
      String name = todo.remove(todo.size() - 1);
      if (!seen.add(name) || name.equals("java/lang/Object")) {
        continue;
      }
      if (name.equals("java/io/Serializable") || name.equals("java/io/Externalizable")) {
        return dotted(c.name) + " is serializable: deserialized objects have no creation site";
      }
      ClassNode k = name.equals(c.name) ? c : read(pre, name);
      if (k == null) {
        if (!name.startsWith("java/") || jdkSerializable(name)) {
          return dotted(c.name)
              + " may be serializable (through "
              + dotted(name)
              + ", outside the release): deserialized objects have no creation site";
        }
        continue;
      }
      if (k.superName != null) {
        todo.add(k.superName);
      }
      todo.addAll(k.interfaces);
    }
    return null;
  }

  /** Whether a JDK type is serializable; true when it cannot be told. */
  private static boolean jdkSerializable(String name) {
    try {
      return java.io.Serializable.class.isAssignableFrom(
          Class.forName(name.replace('/', '.'), false, ClassLoader.getPlatformClassLoader()));
    } catch (ClassNotFoundException | LinkageError e) {
      return true;
    }
  }

  private ClassNode read(Function<String, byte[]> classes, String name) {
    String key = (classes == pre ? "pre:" : "post:") + name;
    if (read.containsKey(key)) {
      return read.get(key);
    }
    byte[] bytes = classes.apply(name);
    ClassNode node = null;
    if (bytes != null) {
      node = new ClassNode();
      new ClassReader(bytes).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }
    read.put(key, node);
    return node;
  }

  private static Frame<SourceValue>[] frames(String owner, MethodNode m) {
    try {
      return new Analyzer<>(new SourceInterpreter()).analyze(owner, m);
    } catch (AnalyzerException e) {
      return null;
    }
  }

  private static boolean isConstant(AbstractInsnNode insn) {
    int op = insn.getOpcode();
    return op >= Opcodes.ACONST_NULL && op <= Opcodes.DCONST_1
        || insn instanceof IntInsnNode && (op == Opcodes.BIPUSH || op == Opcodes.SIPUSH)
        || insn instanceof LdcInsnNode ldc
            && (ldc.cst instanceof Number || ldc.cst instanceof String);
  }

  static AbstractInsnNode defaultValue(String desc) {
    return new InsnNode(
        switch (desc.charAt(0)) {
          case 'J' -> Opcodes.LCONST_0;
          case 'F' -> Opcodes.FCONST_0;
          case 'D' -> Opcodes.DCONST_0;
          case 'L', '[' -> Opcodes.ACONST_NULL;
          default -> Opcodes.ICONST_0;
        });
  }

  /** A constant's text ({@code const Integer 1;}) as a person reads it, as the field's type. */
  private static String show(String text, FieldNode field) {
    String t = text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
    t = t.startsWith("const ") ? t.substring(t.indexOf(' ', 6) + 1) : t;
    if (field.desc.equals("Z") && (t.equals("0") || t.equals("1"))) {
      return t.equals("1") ? "true" : "false";
    }
    return t;
  }

  private static MethodNode method(ClassNode c, String nameAndDesc) {
    return c.methods.stream()
        .filter(m -> (m.name + m.desc).equals(nameAndDesc))
        .findFirst()
        .orElse(null);
  }

  private static String site(String owner, MethodNode m) {
    return dotted(owner) + "." + m.name + m.desc;
  }

  private static String dotted(String internal) {
    return internal.replace('/', '.');
  }
}
