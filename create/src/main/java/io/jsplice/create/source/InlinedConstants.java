package io.jsplice.create.source;

import java.lang.constant.ConstantDesc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Compile-time constants a patch changes, and the compilation units that may have inlined them.
 *
 * <p>javac copies the value of a constant variable (a {@code final} primitive or String field with
 * a constant initializer, recorded in its ConstantValue attribute) into every class that reads it.
 * Changing the value in the declaring class alone leaves every user with the old value, so the
 * users must be recompiled too.
 *
 * <p>Users are found in the source text, conservatively: a unit may use {@code A.LIMIT} only if it
 * mentions {@code LIMIT} as an identifier and also {@code A} or a subtype of {@code A} (which
 * covers qualified use, static imports, and unqualified use in subclasses and implementors of an
 * interface). A false positive costs a compilation whose classes come out unchanged; a use through
 * a subtype outside the declaring jar is not found.
 */
final class InlinedConstants {
  private InlinedConstants() {}

  /**
   * A constant whose value differs.
   *
   * @param owner internal name of the declaring class
   * @param before the value before (an Integer, Long, Float, Double or String); never null
   * @param after the value after; null when the field is no longer a constant or is gone
   */
  record Change(String owner, String field, ConstantDesc before, ConstantDesc after) {
    String key() {
      return owner + "." + field;
    }
  }

  /** The constants of {@code before} whose value is different or missing in {@code after}. */
  static List<Change> changes(Map<String, byte[]> before, Map<String, byte[]> after) {
    List<Change> changes = new ArrayList<>();
    for (Map.Entry<String, byte[]> entry : before.entrySet()) {
      String owner = entry.getKey();
      Map<String, ConstantDesc> old = constants(entry.getValue());
      Map<String, ConstantDesc> now =
          after.containsKey(owner) ? constants(after.get(owner)) : Map.of();
      old.forEach(
          (field, value) -> {
            if (!Objects.equals(value, now.get(field))) {
              changes.add(new Change(owner, field, value, now.get(field)));
            }
          });
    }
    return changes;
  }

  /**
   * The units of {@code texts} that may read the changed constant.
   *
   * @param ownerSubtypes internal names of the classes that extend or implement the owner
   */
  static Set<String> possibleUsers(
      Change change, Map<String, String> texts, Set<String> ownerSubtypes) {
    Pattern field = identifier(change.field());
    List<Pattern> owners = new ArrayList<>();
    for (String type : new TreeSet<>(concat(change.owner(), ownerSubtypes))) {
      String simple = simpleName(type);
      if (!simple.isEmpty()) {
        owners.add(identifier(simple));
      }
    }
    Set<String> users = new TreeSet<>();
    texts.forEach(
        (path, text) -> {
          if (field.matcher(text).find() && owners.stream().anyMatch(o -> o.matcher(text).find())) {
            users.add(path);
          }
        });
    return users;
  }

  /** {@code org/x/Outer$Inner} to {@code Inner}; empty for anonymous classes. */
  static String simpleName(String internalName) {
    String name = internalName.substring(internalName.lastIndexOf('/') + 1);
    name = name.substring(name.lastIndexOf('$') + 1);
    return name.replaceFirst("^[0-9]+", ""); // local classes: Outer$1Local
  }

  private static Pattern identifier(String name) {
    return Pattern.compile(
        "(?<![\\p{javaJavaIdentifierPart}])"
            + Pattern.quote(name)
            + "(?![\\p{javaJavaIdentifierPart}])");
  }

  private static List<String> concat(String first, Set<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  /**
   * Field name to ConstantValue, for the fields that have one: as ASM reads it, an Integer, Long,
   * Float, Double or String, each a {@link ConstantDesc}.
   */
  private static Map<String, ConstantDesc> constants(byte[] classFile) {
    Map<String, ConstantDesc> constants = new HashMap<>();
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public FieldVisitor visitField(
                  int access, String name, String descriptor, String signature, Object value) {
                if (value instanceof ConstantDesc constant && (access & Opcodes.ACC_FINAL) != 0) {
                  constants.put(name, constant);
                }
                return null;
              }
            },
            ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return constants;
  }
}
