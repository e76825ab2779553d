package io.jsplice.agent.engine;

import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;

/**
 * The JVM's own verifier, run on code an update installs before that code can be run, so that a
 * faulty update is refused (or, for a class that loads later, left out) instead of leaving the
 * application with {@link VerifyError}s.
 *
 * <p>Classes the update adds are linked where they are defined ({@link #link}): linking verifies,
 * and a retransformation links without initializing ({@link ClassDefiner#link}). A class the update
 * modifies cannot be defined twice under its name, so a copy of its new code is defined beside it
 * under a name of its own ({@code Name$$jsplice$verify$DIGEST}), in the same loader and runtime
 * package, and linked ({@link #checkCopy}). The copy is never initialized or used; it stays
 * (classes cannot be undefined), one per class, code and loader, so checking the same code again
 * defines nothing.
 *
 * <p>The copy's own name stands for the class's, so code that puts a subclass of the class where
 * the class is expected fails in the copy though it is valid: such a failure counts as unknown, not
 * as a rejection. Loaded classes the update modifies are verified exactly by the switch itself (a
 * retransformation verifies every class or switches none); this check is for classes that load
 * after the switch, as their transformer's last step.
 *
 * <p>Thread-safe.
 */
final class ClassVerification {
  /** What generated-class names contain; {@code verify} and {@code stale} skip such classes. */
  static final String COPY_MARKER = "$$jsplice$verify$";

  private final ClassDefiner definer;
  private final BytecodeVerifier bytecode = new BytecodeVerifier();
  private final Map<ClassLoader, Set<String>> passed =
      Collections.synchronizedMap(new WeakHashMap<>());

  ClassVerification(ClassDefiner definer) {
    this.definer = definer;
  }

  /**
   * What the verifier said.
   *
   * @param rejected whether it rejected the code; false when it accepted it or could not tell
   * @param reason one line when it rejected the code or could not tell; null when it accepted it
   * @param absent when linking failed because a class the code needs cannot be found there: its
   *     name (dotted); null otherwise
   */
  record Verdict(boolean rejected, String reason, String absent) {
    static final Verdict PASSED = new Verdict(false, null, null);

    static Verdict rejected(String reason) {
      return new Verdict(true, reason, null);
    }

    static Verdict unknown(String reason) {
      return new Verdict(false, reason, null);
    }
  }

  /**
   * Links {@code classes}, which makes the JVM verify them now; never initializes them.
   *
   * @return each class's verdict, in the order given
   */
  List<Verdict> link(List<Class<?>> classes) {
    if (classes.isEmpty() || definer.link(classes.toArray(Class<?>[]::new)) == null) {
      return Collections.nCopies(classes.size(), Verdict.PASSED);
    }
    return classes.stream().map(this::link).toList();
  }

  /**
   * Links {@code c}, which makes the JVM verify it now; never initializes it. Only linking: the
   * classes its members' descriptors name are not loaded (a companion holding an added method that
   * takes a type of an optional dependency the program lacks links, as the fixed class itself does;
   * spring-web 7.0.4's {@code ReactorClientHttpConnector.registerAttributeCallback(Connection)}).
   */
  Verdict link(Class<?> c) {
    if (definer.link(c) == null) {
      return Verdict.PASSED;
    }
    // It did not link. A retransformation says only "invalid class"; reflection links it again, and
    // the JVM says why: the verifier's message, or the class it could not find.
    return reflectiveLink(c);
  }

  private static Verdict reflectiveLink(Class<?> c) {
    try {
      c.getDeclaredMethods();
      return Verdict.PASSED;
    } catch (VerifyError | ClassFormatError e) {
      return Verdict.rejected(
          "the JVM's verifier rejects " + c.getName() + ": " + oneLine(e.getMessage()));
    } catch (NoClassDefFoundError e) {
      // The verifier loads the classes it checks assignments to; one of them is not there.
      String absent = e.getMessage() == null ? "?" : e.getMessage().replace('/', '.');
      return new Verdict(
          false, c.getName() + " needs " + absent + ", which this JVM does not have", absent);
    } catch (LinkageError e) {
      return Verdict.unknown("linking " + c.getName() + " failed: " + oneLine(e.toString()));
    }
  }

  /**
   * Checks the classes an update adds through copies, before they are defined for real: a class the
   * verifier rejects is then never defined under its name, where it would stay.
   *
   * @return the first rejection, or {@link Verdict#PASSED}
   */
  Verdict checkBeforeDefining(
      List<SupportClasses.ClassBytes> classes, ClassLoader loader, ProtectionDomain domain) {
    for (SupportClasses.ClassBytes c : classes) {
      if (ClassDefiner.present(loader, c.name()) != null) {
        continue; // defined already: linked when it was
      }
      Verdict verdict = checkCopy(c.name().replace('.', '/'), c.bytes(), loader, domain);
      if (verdict.rejected()) {
        return verdict;
      }
    }
    return Verdict.PASSED;
  }

  /**
   * Checks, for a class being defined, the code that is about to be installed, without loading or
   * linking anything ({@link BytecodeVerifier}); each class file once per loader.
   *
   * @param own the update's classes, by internal name: their hierarchy is not on disk
   * @return why the JVM's verifier would reject it; null when the check finds nothing
   */
  String checkAtLoad(
      String internalName, byte[] bytes, Map<String, byte[]> own, ClassLoader loader) {
    String key = internalName + "@" + SupportClasses.digest(bytes);
    Set<String> done = loader == null ? null : passedIn(loader);
    if (done != null) {
      synchronized (done) {
        if (done.contains(key)) {
          return null;
        }
      }
    }
    String problem = bytecode.problem(bytes, own, loader);
    if (problem == null && done != null) {
      synchronized (done) {
        done.add(key);
      }
    }
    return problem;
  }

  /**
   * Verifies {@code bytes}, the new code of the class {@code internalName}, in {@code loader}
   * through a copy under its own name.
   */
  Verdict checkCopy(
      String internalName, byte[] bytes, ClassLoader loader, ProtectionDomain domain) {
    if (loader == null) {
      return Verdict.unknown("no copy can be defined in the boot class loader");
    }
    String copy = internalName + COPY_MARKER + SupportClasses.digest(bytes).substring(0, 16);
    String binaryCopy = copy.replace('/', '.');
    Set<String> done = passedIn(loader);
    synchronized (done) {
      if (done.contains(copy)) {
        return Verdict.PASSED;
      }
    }
    Class<?> defined = ClassDefiner.present(loader, binaryCopy);
    if (defined == null) {
      byte[] renamed;
      try {
        renamed = rename(bytes, internalName, copy);
      } catch (RuntimeException e) {
        return Verdict.rejected(
            internalName.replace('/', '.')
                + " is not a valid class file: "
                + oneLine(e.toString()));
      }
      try {
        defined = definer.define(loader, binaryCopy, renamed, domain);
      } catch (ClassFormatError e) {
        return Verdict.rejected(
            "the JVM rejects the class file of "
                + internalName.replace('/', '.')
                + ": "
                + oneLine(e.getMessage()).replace(copy, internalName));
      } catch (LinkageError | ReflectiveOperationException | RuntimeException e) {
        // A sealed supertype, a package another loader owns, a security policy: nothing said.
        return Verdict.unknown("its copy could not be defined: " + oneLine(e.toString()));
      }
    }
    Verdict verdict = link(defined);
    if (verdict.reason() != null) {
      String reason =
          verdict
              .reason()
              .replace(copy, internalName)
              .replace(binaryCopy, internalName.replace('/', '.'));
      if (verdict.rejected() && reason.contains("is not assignable to '" + internalName + "'")) {
        return Verdict.unknown(reason + " (in the copy only: a subclass is not one of the copy)");
      }
      return new Verdict(verdict.rejected(), reason, verdict.absent());
    }
    synchronized (done) {
      done.add(copy);
    }
    return Verdict.PASSED;
  }

  private Set<String> passedIn(ClassLoader loader) {
    synchronized (passed) {
      return passed.computeIfAbsent(loader, l -> new HashSet<>());
    }
  }

  /** The class file with every reference to its own name made to {@code copy}. */
  static byte[] rename(byte[] bytes, String internalName, String copy) {
    ClassReader reader = new ClassReader(bytes);
    ClassWriter writer = new ClassWriter(0);
    reader.accept(new ClassRemapper(writer, new SimpleRemapper(internalName, copy)), 0);
    return writer.toByteArray();
  }

  /** The verifier's message on one line: what, where, why. */
  static String oneLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    String[] lines = message.split("\n");
    StringBuilder out = new StringBuilder(lines[0].strip());
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].strip();
      if ((line.equals("Location:") || line.equals("Reason:")) && i + 1 < lines.length) {
        out.append(line.equals("Location:") ? " at " : ": ").append(lines[i + 1].strip());
      }
    }
    return out.toString();
  }
}
