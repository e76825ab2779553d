package io.jsplice.create.live;

import io.jsplice.model.Applicability;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * Whether installed code refers only to members the running JVM will have. Classes it knows (the
 * release, the update's own classes in their installed shape, the dependencies {@code create} was
 * given, the JDK) are checked member by member, through their supertypes. Owners it cannot see (a
 * provided API such as the servlet API, which the release's POM does not name) cannot be checked:
 * each class that uses them says which, and the update says how many.
 */
final class LinkCheck {
  /** jsplice's runtime classes, which the agent defines in every JVM it runs in. */
  private static final String BOOTSTRAP = "io/jsplice/bootstrap/";

  private LinkCheck() {}

  /**
   * Refuses the classes whose installed code refers to a member the running JVM will not have: a
   * method of a class the update leaves out (--exclude), or one that only the fixed release's
   * dependencies have. Such code would throw NoSuchMethodError in the application.
   *
   * <p>A class whose code uses classes it cannot see gets a note naming them (a companion's go to
   * the class it serves).
   *
   * @param files the update's files; those under {@link UpdatePackage#INSTALL} are checked
   * @param classes the class entries, replaced in place by refused or noted ones
   * @return the classes, outside what it was given, whose members the installed code uses and that
   *     it could not check, sorted
   */
  static Set<String> refuseUnlinked(
      Map<String, byte[]> files,
      List<ClassUpdate> classes,
      ClassHierarchy installed,
      java.util.function.Predicate<String> absent) {
    Map<String, Set<String>> uncheckedBy = new java.util.TreeMap<>();
    // The classes the update adds that the world does not know (its companions) come with it:
    // not classes create was not given. Their members are not checked (jsplice writes both sides).
    Set<String> own = new java.util.HashSet<>();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      if (file.getKey().startsWith(UpdatePackage.INSTALL)) {
        String internal = new ClassReader(file.getValue()).getClassName();
        if (installed.info(internal) == null) {
          own.add(internal);
        }
      }
    }
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      if (!file.getKey().startsWith(UpdatePackage.INSTALL)) {
        continue;
      }
      String name = installedClassName(file.getKey());
      Set<String> unseen = new java.util.TreeSet<>();
      List<String> missing = missing(file.getValue(), installed, absent, own, unseen);
      if (!unseen.isEmpty()) {
        uncheckedBy
            .computeIfAbsent(servedClass(name, classes), n -> new java.util.TreeSet<>())
            .addAll(unseen);
      }
      if (!missing.isEmpty()) {
        refuse(
            name,
            missing.stream()
                .map(
                    m ->
                        name
                            + " would use "
                            + m
                            + ", which the running JVM will not have (a class the update"
                            + " leaves out, or a newer dependency)")
                .toList(),
            classes);
        continue;
      }
      String unverifiable = unverifiable(file.getValue(), installed);
      if (unverifiable != null) {
        refuse(
            name,
            List.of(
                name
                    + " would be rejected by the JVM's verifier, because the running JVM keeps"
                    + " its loaded classes' hierarchy (a class the update leaves out, or one whose"
                    + " superclass or interfaces change): "
                    + unverifiable),
            classes);
      }
    }
    Set<String> unchecked = new java.util.TreeSet<>();
    uncheckedBy.forEach(
        (name, unseen) -> {
          unchecked.addAll(unseen);
          note(
              name,
              name
                  + " uses "
                  + String.join(", ", unseen)
                  + ", which create was not given: not checked that the running JVM has what it"
                  + " uses there (create --dependencies with the program's class path checks it)",
              classes);
        });
    return unchecked;
  }

  /**
   * The class entry whose code {@code installed} holds: a companion ({@code Host$$jsplice$ID})
   * serves the class it is named for, when that class is in the update.
   */
  private static String servedClass(String installed, List<ClassUpdate> classes) {
    int marker = installed.indexOf("$$jsplice$");
    if (marker < 0) {
      return installed;
    }
    String host = installed.substring(0, marker);
    return classes.stream().anyMatch(c -> c.name().equals(host)) ? host : installed;
  }

  /** Adds a note to the entry of {@code name}, keeping its verdict. */
  private static void note(String name, String note, List<ClassUpdate> classes) {
    change(
        name,
        classes,
        a -> {
          List<String> notes = new ArrayList<>(a.notes());
          notes.add(note);
          return new Applicability(a.verdict(), a.mechanisms(), notes, a.stale());
        });
  }

  /** The dotted name of the class installed from {@code INSTALL/org/example/Foo.class}. */
  private static String installedClassName(String path) {
    return path.substring(UpdatePackage.INSTALL.length(), path.length() - ".class".length())
        .replace('/', '.');
  }

  private static void refuse(String name, List<String> why, List<ClassUpdate> classes) {
    change(
        name,
        classes,
        a -> {
          List<String> notes = new ArrayList<>(why);
          notes.addAll(a.notes());
          return new Applicability(Verdict.NOT_LIVE, Set.of(), notes);
        });
  }

  /** Replaces the applicability of the entry of {@code name} by what {@code change} makes of it. */
  private static void change(
      String name,
      List<ClassUpdate> classes,
      java.util.function.UnaryOperator<Applicability> change) {
    for (int i = 0; i < classes.size(); i++) {
      ClassUpdate c = classes.get(i);
      if (c.name().equals(name)) {
        classes.set(
            i,
            new ClassUpdate(
                c.name(),
                c.status(),
                c.preFingerprint(),
                c.postFingerprint(),
                c.changes(),
                change.apply(c.applicability())));
      }
    }
  }

  /**
   * Why the JVM's verifier would reject {@code classFile} where the running JVM's classes have the
   * hierarchy {@code installed} gives them; null when ASM's verifier finds nothing. Classes it does
   * not know and interfaces take any value, as HotSpot's verifier treats interfaces: this check
   * must not refuse valid code.
   */
  static String unverifiable(byte[] classFile, ClassHierarchy installed) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, ClassReader.SKIP_FRAMES);
    for (MethodNode method : node.methods) {
      if (method.instructions.size() == 0) {
        continue;
      }
      try {
        new Analyzer<>(new HierarchyVerifier(node.name, installed, true))
            .analyze(node.name, method);
      } catch (AnalyzerException e) {
        return method.name + method.desc + ": " + e.getMessage();
      }
    }
    return null;
  }

  /**
   * The members {@code classFile} refers to that a known class does not have, in words.
   *
   * @param own internal names of the classes the update adds that the world does not know (its
   *     companions), whose members are not checked, as those of jsplice's runtime classes are not
   * @param unseen receives the dotted names of the classes it could not check a member of: owners
   *     it does not know, or a supertype it does not know that a member may come from
   */
  static List<String> missing(
      byte[] classFile,
      ClassHierarchy installed,
      java.util.function.Predicate<String> absent,
      Set<String> own,
      Set<String> unseen) {
    Set<String> out = new LinkedHashSet<>();
    String[] self = new String[1];
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public void visit(
                  int version,
                  int access,
                  String name,
                  String signature,
                  String superName,
                  String[] interfaces) {
                self[0] = name;
                if (superName != null && absent.test(superName)) {
                  out.add(superName.replace('/', '.'));
                }
                for (String i : interfaces) {
                  if (absent.test(i)) {
                    out.add(i.replace('/', '.'));
                  }
                }
              }

              @Override
              public MethodVisitor visitMethod(
                  int access,
                  String name,
                  String descriptor,
                  String signature,
                  String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                  @Override
                  public void visitMethodInsn(
                      int op, String owner, String method, String desc, boolean itf) {
                    check(owner, method + desc, owner.replace('/', '.') + "." + method + desc);
                  }

                  @Override
                  public void visitFieldInsn(int op, String owner, String field, String desc) {
                    check(owner, field + ":" + desc, owner.replace('/', '.') + "." + field);
                  }

                  @Override
                  public void visitTypeInsn(int op, String type) {
                    String element =
                        org.objectweb.asm.Type.getObjectType(type).getSort()
                                == org.objectweb.asm.Type.ARRAY
                            ? org.objectweb.asm.Type.getObjectType(type)
                                .getElementType()
                                .getInternalName()
                            : type;
                    if (absent.test(element)) {
                      out.add(element.replace('/', '.'));
                    }
                  }

                  @Override
                  public void visitLdcInsn(Object value) {
                    if (value instanceof org.objectweb.asm.Type t
                        && t.getSort() == org.objectweb.asm.Type.OBJECT
                        && absent.test(t.getInternalName())) {
                      out.add(t.getInternalName().replace('/', '.'));
                    }
                  }

                  private void check(String owner, String key, String words) {
                    if (owner.startsWith("[")
                        || owner.equals(self[0])
                        || own.contains(owner)
                        || owner.startsWith(BOOTSTRAP)) {
                      return;
                    }
                    if (absent.test(owner)) {
                      out.add(owner.replace('/', '.'));
                      return;
                    }
                    if (installed.info(owner) == null) {
                      unseen.add(owner.replace('/', '.')); // a dependency jsplice was not given
                      return;
                    }
                    if (installed.declaringClass(owner, key) == null
                        && !signaturePolymorphic(owner, key)) {
                      String from = unknownSupertype(owner);
                      if (from == null) {
                        out.add(words);
                      } else {
                        unseen.add(from.replace('/', '.'));
                      }
                    }
                  }

                  /**
                   * A call to a signature-polymorphic method (JVMS 2.9.3: native varargs methods of
                   * MethodHandle and VarHandle taking one Object[]) names the call site's own
                   * descriptor, which the class never declares: h2 2.3.230's {@code
                   * VarHandle.get([BI)J} was refused as a member the JVM would not have.
                   */
                  private boolean signaturePolymorphic(String owner, String key) {
                    if (!owner.equals("java/lang/invoke/MethodHandle")
                        && !owner.equals("java/lang/invoke/VarHandle")) {
                      return false;
                    }
                    String name = key.substring(0, key.indexOf('('));
                    int polymorphic = Opcodes.ACC_NATIVE | Opcodes.ACC_VARARGS;
                    return installed.info(owner).members().entrySet().stream()
                        .anyMatch(
                            m ->
                                m.getKey().startsWith(name + "([Ljava/lang/Object;)")
                                    && (m.getValue() & polymorphic) == polymorphic);
                  }

                  /**
                   * A supertype of {@code owner} jsplice cannot see, which a member may come from;
                   * null when it knows them all.
                   */
                  private String unknownSupertype(String owner) {
                    List<String> pending = new ArrayList<>(List.of(owner));
                    while (!pending.isEmpty()) {
                      String type = pending.remove(0);
                      ClassHierarchy.ClassInfo info = installed.info(type);
                      if (info == null) {
                        return type;
                      }
                      if (info.superName() != null) {
                        pending.add(info.superName());
                      }
                      pending.addAll(info.interfaces());
                    }
                    return null;
                  }
                };
              }
            },
            ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return new ArrayList<>(out);
  }
}
