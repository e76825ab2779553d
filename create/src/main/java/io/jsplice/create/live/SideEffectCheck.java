package io.jsplice.create.live;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Whether running some initializer code again, in a running JVM, could do anything besides
 * computing values: write global state, do I/O, start threads, log, load classes by name.
 *
 * <p>jsplice recomputes a changed static field only when its initializer passes this check, so that
 * a live update never re-runs side effects the operator did not ask for. The check is conservative:
 * code passes if every call is to an allow-listed JDK API that only computes (strings, collections,
 * boxing, regular expressions, arithmetic, reading system properties), or to library code in the
 * update's class set that passes recursively. Library methods may write fields of objects (the ones
 * they build) but never static fields. Anything unknown fails, naming the call.
 */
final class SideEffectCheck {
  private static final int MAX_DEPTH = 8;
  private static final List<String> PURE_JDK_PREFIXES =
      List.of(
          "java/util/",
          "java/lang/String",
          "java/lang/Integer",
          "java/lang/Long",
          "java/lang/Short",
          "java/lang/Byte",
          "java/lang/Boolean",
          "java/lang/Character",
          "java/lang/Double",
          "java/lang/Float",
          "java/lang/Number",
          "java/lang/Math",
          "java/lang/StrictMath",
          "java/lang/Enum",
          "java/lang/Object.<init>",
          "java/lang/Object.getClass",
          // protected: outside java.lang, only on an array (kotlin names Object for an array's
          // clone) or on an object of the calling class that does not override it, a shallow copy
          "java/lang/Object.clone",
          // computing by contract, as the JDK interfaces here whose implementations are the
          // receiver's (Comparable, CharSequence, Iterable; a map's hashCode and equals of its
          // keys)
          "java/lang/Object.toString",
          "java/lang/Object.hashCode",
          "java/lang/Object.equals",
          "java/lang/Objects",
          "java/lang/CharSequence",
          "java/lang/Iterable",
          "java/lang/Comparable",
          "java/lang/Record",
          "java/lang/System.getProperty",
          "java/lang/System.lineSeparator",
          "java/lang/Class.getName",
          "java/lang/Class.getSimpleName",
          "java/lang/Class.desiredAssertionStatus",
          "java/lang/Class.isArray",
          "java/lang/Class.isInstance",
          "java/lang/Class.isAssignableFrom",
          "java/lang/Class.isPrimitive",
          "java/lang/Class.getComponentType",
          // reflective array access computes on the array it is given, like an array instruction
          "java/lang/reflect/Array.",
          "java/lang/System.arraycopy",
          "java/lang/System.identityHashCode",
          "java/math/",
          "java/time/",
          "java/nio/charset/StandardCharsets",
          "java/nio/charset/Charset.forName",
          "java/util/regex/");
  private static final List<String> IMPURE_JDK_PREFIXES =
      List.of(
          "java/util/logging/",
          "java/util/concurrent/Executors",
          "java/util/Timer",
          "java/util/ServiceLoader",
          "java/util/prefs/",
          "java/util/ResourceBundle",
          "java/util/jar/",
          "java/util/zip/");

  /**
   * JAXP factories: a lookup ({@code newInstance}, {@code newFactory} and their default forms)
   * builds a new factory, finding its class as every parser built anywhere in the JVM does (a
   * system property, a properties file read once per JVM, the service loader), and a setter
   * configures only the factory it is called on. Running such code again gives a factory configured
   * as the fixed release's initializer configures it (jackson-databind 2.10.5.1's DOM parser
   * factory, no DOCTYPE). What reads input through a factory ({@code newSchema}, {@code
   * newTransformer}) is not among them.
   */
  private static final List<String> XML_FACTORIES =
      List.of(
          "javax/xml/parsers/DocumentBuilderFactory",
          "javax/xml/parsers/SAXParserFactory",
          "javax/xml/transform/TransformerFactory",
          "javax/xml/validation/SchemaFactory",
          "javax/xml/xpath/XPathFactory",
          "javax/xml/stream/XMLInputFactory",
          "javax/xml/stream/XMLOutputFactory",
          "javax/xml/stream/XMLEventFactory");

  private final Function<String, byte[]> classes;
  private final Map<String, ClassNode> nodes = new HashMap<>();
  private final Map<String, Optional<String>> verdicts = new HashMap<>();

  /**
   * @param classes the update's classes by internal name (post versions), or null
   */
  SideEffectCheck(Function<String, byte[]> classes) {
    this.classes = classes;
  }

  /**
   * Checks instructions of {@code owner}'s static initializer.
   *
   * @return empty if they only compute; else the first offending instruction, in words
   */
  Optional<String> check(String owner, List<AbstractInsnNode> code) {
    return checkCode(owner, code, 0, true);
  }

  /**
   * Checks instructions of {@code owner}'s static initializer {@code clinit} as {@link #check}
   * does, but judges a call that no try block of the initializer covers by what the library code it
   * runs does when it returns ({@link #checkCompleting}): if it throws, the recomputation fails and
   * the apply with it (kotlin's {@code Intrinsics.checkNotNullParameter}, which reads the current
   * thread's stack only to build the exception it throws for a null argument).
   *
   * @return empty if they only compute whenever they complete; else the first offending instruction
   */
  Optional<String> check(String owner, List<AbstractInsnNode> code, MethodNode clinit) {
    java.util.Set<AbstractInsnNode> covered =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (org.objectweb.asm.tree.TryCatchBlockNode t : clinit.tryCatchBlocks) {
      for (AbstractInsnNode i = t.start; i != null && i != t.end; i = i.getNext()) {
        covered.add(i);
      }
    }
    for (AbstractInsnNode insn : code) {
      boolean completing = clinit.instructions.contains(insn) && !covered.contains(insn);
      Optional<String> privileged = privilegedAction(insn, 0);
      Optional<String> problem =
          privileged != null ? privileged : checkInstruction(owner, insn, 0, true, completing);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  /**
   * Checks a method of the update's classes as a call to it would be checked.
   *
   * @return empty if it only computes; else the first offending instruction, in words
   */
  Optional<String> checkMethod(String owner, String name, String desc) {
    return checkCall(owner, name, desc, 0, false);
  }

  /**
   * Checks one instruction of {@code owner}'s code that lies where an exception leaves the code (no
   * try block around it) as {@link #check} does, but judges the library methods a call runs by what
   * they do on the paths on which they return ({@link CompletingCode}): what runs only on the way
   * to their exception (a failed check building its message with the arguments' {@code toString})
   * happens only when the call fails, and then the caller fails with it. Calls inside a try block
   * of such a method are judged whole: what it catches it goes on from.
   *
   * @return empty if it only computes whenever it completes; else the first offending instruction
   */
  Optional<String> checkCompleting(String owner, AbstractInsnNode insn) {
    Optional<String> privileged = privilegedAction(insn, 0);
    return privileged != null ? privileged : checkInstruction(owner, insn, 0, false, true);
  }

  private Optional<String> checkCode(
      String owner, Iterable<AbstractInsnNode> code, int depth, boolean initializer) {
    for (AbstractInsnNode insn : code) {
      Optional<String> privileged = privilegedAction(insn, depth);
      if (privileged != null) {
        if (privileged.isPresent()) {
          return privileged;
        }
        continue;
      }
      Optional<String> problem = checkInstruction(owner, insn, depth, initializer, false);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  /** Checks what the method's instructions that can complete normally do. */
  private Optional<String> checkCompletingCode(String owner, MethodNode method, int depth) {
    CompletingCode paths = CompletingCode.of(method);
    for (AbstractInsnNode insn : method.instructions) {
      if (!paths.completes(insn)) {
        continue; // runs only on the way to an exception that leaves the method
      }
      Optional<String> privileged = privilegedAction(insn, depth);
      Optional<String> problem =
          privileged != null
              ? privileged
              : checkInstruction(owner, insn, depth, false, !paths.covered(insn));
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private Optional<String> checkInstruction(
      String owner, AbstractInsnNode insn, int depth, boolean initializer, boolean completing) {
    int op = insn.getOpcode();
    if (insn instanceof FieldInsnNode f
        && op == Opcodes.PUTSTATIC
        && !(initializer && f.owner.equals(owner))) {
      return Optional.of("writes the static field " + dotted(f.owner) + "." + f.name);
    }
    if (insn instanceof MethodInsnNode m) {
      return checkCall(m.owner, m.name, m.desc, depth, completing);
    }
    if (insn instanceof InvokeDynamicInsnNode d) {
      String bsm = d.bsm.getOwner();
      if (bsm.equals("java/lang/invoke/LambdaMetafactory")
          || bsm.equals("java/lang/invoke/StringConcatFactory")) {
        return Optional.empty();
      }
      return Optional.of("links a dynamic call through " + dotted(bsm));
    }
    if (op == Opcodes.MONITORENTER) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * {@code AccessController.doPrivileged(new A())}, as code written for a security manager reads a
   * system property: it computes if {@code A}, a class of the update built with no arguments right
   * before the call, computes in its constructor and {@code run()}. Null when {@code insn} is no
   * such call; empty when it computes; else the problem.
   */
  private Optional<String> privilegedAction(AbstractInsnNode insn, int depth) {
    if (!(insn instanceof MethodInsnNode m)
        || !m.owner.equals("java/security/AccessController")
        || !m.name.equals("doPrivileged")
        || !(m.desc.equals("(Ljava/security/PrivilegedAction;)Ljava/lang/Object;")
            || m.desc.equals("(Ljava/security/PrivilegedExceptionAction;)Ljava/lang/Object;"))) {
      return null;
    }
    AbstractInsnNode init = previousReal(insn);
    AbstractInsnNode dup = previousReal(init);
    AbstractInsnNode created = previousReal(dup);
    if (!(init instanceof MethodInsnNode c)
        || c.getOpcode() != Opcodes.INVOKESPECIAL
        || !c.name.equals("<init>")
        || !c.desc.equals("()V")
        || dup == null
        || dup.getOpcode() != Opcodes.DUP
        || !(created instanceof TypeInsnNode t)
        || t.getOpcode() != Opcodes.NEW
        || !t.desc.equals(c.owner)
        || node(c.owner) == null) {
      return Optional.of("runs a privileged action jsplice cannot follow");
    }
    Optional<String> built = checkCall(c.owner, "<init>", "()V", depth, false);
    return built.isPresent()
        ? built
        : checkCall(c.owner, "run", "()Ljava/lang/Object;", depth, false);
  }

  private static AbstractInsnNode previousReal(AbstractInsnNode insn) {
    return insn == null ? null : GuardedEntries.real(insn.getPrevious(), false);
  }

  /** A JAXP factory's lookup or setter ({@link #XML_FACTORIES}). */
  private static boolean buildsOrConfiguresXmlFactory(String owner, String name) {
    return XML_FACTORIES.contains(owner)
        && (name.startsWith("new") && name.endsWith("Instance")
            || name.equals("newFactory")
            || name.equals("newDefaultFactory")
            || name.startsWith("set"));
  }

  /**
   * Whether a JDK class is an exception: building one only records the stack (validation code
   * builds them before it throws, as commons-text's translators do).
   */
  private static boolean isJdkThrowable(String owner) {
    try {
      Class<?> c =
          Class.forName(owner.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
      return Throwable.class.isAssignableFrom(c);
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * @param completing whether to judge a library method only by what it does when it returns
   *     ({@link #checkCompleting})
   */
  private Optional<String> checkCall(
      String owner, String name, String desc, int depth, boolean completing) {
    if (owner.startsWith("[")) {
      return Optional.empty(); // an array's methods are Object's: clone, getClass, hashCode
    }
    String member = owner + "." + name;
    if (owner.startsWith("java/")
        || owner.startsWith("javax/")
        || owner.startsWith("jdk/")
        || owner.startsWith("sun/")) {
      boolean pure =
          PURE_JDK_PREFIXES.stream().anyMatch(member::startsWith)
                  && IMPURE_JDK_PREFIXES.stream().noneMatch(member::startsWith)
              || name.equals("<init>") && isJdkThrowable(owner)
              || buildsOrConfiguresXmlFactory(owner, name);
      return pure ? Optional.empty() : Optional.of("calls " + dotted(owner) + "." + name);
    }
    if (depth >= MAX_DEPTH) {
      return Optional.of("calls " + dotted(owner) + "." + name + " too deeply to check");
    }
    String key = (completing ? "completing " : "") + owner + "." + name + desc;
    Optional<String> known = verdicts.get(key);
    if (known != null) {
      return known;
    }
    verdicts.put(key, Optional.empty()); // recursion: assume pure while checking
    ClassNode node = node(owner);
    Optional<String> verdict;
    if (node == null) {
      verdict =
          Optional.of("calls " + dotted(owner) + "." + name + ", which is not part of the update");
    } else {
      MethodNode method = findMethod(node, name, desc);
      if (method == null) {
        // Inherited: check where it is declared.
        verdict =
            node.superName == null
                ? Optional.of("calls " + dotted(owner) + "." + name + ", which cannot be found")
                : checkCall(node.superName, name, desc, depth, completing);
      } else if (completing && neverReturns(method)) {
        // Every path of it ends in an exception: a call of it is a throw, which fails the caller.
        verdict = Optional.empty();
      } else if ((method.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
        verdict =
            Optional.of(
                "calls "
                    + dotted(owner)
                    + "."
                    + name
                    + ", whose implementation is not known before it runs");
      } else {
        verdict =
            (completing
                    ? checkCompletingCode(owner, method, depth + 1)
                    : checkCode(owner, method.instructions, depth + 1, false))
                .map(
                    p ->
                        p.startsWith("calls " + dotted(owner) + "." + name)
                            ? p
                            : "calls " + dotted(owner) + "." + name + ", which " + p);
      }
    }
    verdicts.put(key, verdict);
    return verdict;
  }

  /**
   * Whether a method with code can only end in an exception (kotlin's {@code
   * Intrinsics.throwParameterIsNullNPE}, a helper that builds and throws a failed check's
   * exception): no instruction of it lies on a path to a return.
   */
  private static boolean neverReturns(MethodNode method) {
    if ((method.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0
        || method.instructions.size() == 0) {
      return false;
    }
    CompletingCode paths = CompletingCode.of(method);
    boolean throwsOut = false;
    for (AbstractInsnNode insn : method.instructions) {
      if (paths.completes(insn)) {
        return false;
      }
      throwsOut |= insn.getOpcode() == Opcodes.ATHROW;
    }
    return throwsOut; // not a loop that never ends
  }

  /** A class of the update or its dependencies, as this check reads it; null if unknown. */
  ClassNode classNode(String name) {
    return classes == null ? null : node(name);
  }

  private ClassNode node(String name) {
    return nodes.computeIfAbsent(
        name,
        n -> {
          byte[] bytes = classes.apply(n);
          if (bytes == null) {
            return null;
          }
          ClassNode node = new ClassNode();
          new ClassReader(bytes).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
          return node;
        });
  }

  private static MethodNode findMethod(ClassNode node, String name, String desc) {
    return node.methods.stream()
        .filter(m -> m.name.equals(name) && m.desc.equals(desc))
        .findFirst()
        .orElse(null);
  }

  static String dotted(String internal) {
    return internal.replace('/', '.');
  }
}
