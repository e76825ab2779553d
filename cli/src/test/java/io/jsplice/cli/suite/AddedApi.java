package io.jsplice.cli.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Tells whether a test failed to link because it uses API that the fixed release adds: the class or
 * method its linkage error names is in the fixed jar and not in the vulnerable one.
 */
final class AddedApi {
  /** {@code 'java.lang.String a.b.C.m(java.lang.String)'}: the owner and the method name. */
  private static final Pattern METHOD = Pattern.compile("([\\w.$]+)\\.([\\w$<>]+)\\(");

  private static final Pattern CLASS = Pattern.compile("^([\\w/$]+)$");

  private final Path vulnerable;
  private final Path fixed;
  private final Map<String, ClassNode> cache = new HashMap<>();

  AddedApi(Path vulnerableJar, Path fixedJar) {
    this.vulnerable = vulnerableJar;
    this.fixed = fixedJar;
  }

  /**
   * What the failure found missing, e.g. {@code package-private static method
   * org.apache.commons.text.lookup.StringLookupFactory.toKey}; null when it did not fail to link,
   * or failed on something that is not new in the fixed release.
   */
  String addedMember(SuiteResults.Outcome outcome) {
    String error = outcome.linkageError();
    if (error == null) {
      return null;
    }
    String message = outcome.linkageMessage().replace("'", "").trim();
    Matcher clazz = CLASS.matcher(message);
    if (error.endsWith("NoClassDefFoundError") && clazz.matches()) {
      String name = clazz.group(1).replace('.', '/');
      ClassNode added = read(fixed, name);
      return added != null && read(vulnerable, name) == null
          ? access(added.access) + "class " + name.replace('/', '.')
          : null;
    }
    Matcher method = METHOD.matcher(message);
    if (!method.find()) {
      return null;
    }
    String owner = method.group(1).replace('.', '/');
    String name = method.group(2);
    MethodNode added = method(read(fixed, owner), name);
    if (added == null || method(read(vulnerable, owner), name) != null) {
      return null;
    }
    boolean isStatic = (added.access & Opcodes.ACC_STATIC) != 0;
    return access(added.access)
        + (isStatic ? "static " : "")
        + "method "
        + owner.replace('/', '.')
        + "."
        + name;
  }

  private static MethodNode method(ClassNode owner, String name) {
    return owner == null
        ? null
        : owner.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElse(null);
  }

  private static String access(int flags) {
    if ((flags & Opcodes.ACC_PUBLIC) != 0) {
      return "public ";
    }
    if ((flags & Opcodes.ACC_PROTECTED) != 0) {
      return "protected ";
    }
    return (flags & Opcodes.ACC_PRIVATE) != 0 ? "private " : "package-private ";
  }

  /** May return null: no such class in the jar. */
  private ClassNode read(Path jar, String internalName) {
    return cache.computeIfAbsent(
        jar + "!" + internalName,
        key -> {
          try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(internalName + ".class");
            if (entry == null) {
              return null;
            }
            try (InputStream in = zip.getInputStream(entry)) {
              ClassNode node = new ClassNode();
              new ClassReader(in.readAllBytes()).accept(node, ClassReader.SKIP_CODE);
              return node;
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
