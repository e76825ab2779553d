package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The difference in shape between a loaded class (pre) and its fixed version (post): what a stock
 * JVM refuses to redefine. Method bodies are not compared here; the diff does that.
 */
final class SchemaComparison {
  final ClassNode pre;
  final ClassNode post;
  final Map<String, MethodNode> addedMethods = new LinkedHashMap<>();
  final Map<String, MethodNode> removedMethods = new LinkedHashMap<>();

  /**
   * Constructors the fixed class adds. A loaded class cannot gain constructors; the planner refuses
   * the class if code of the update calls one, and leaves them out otherwise.
   */
  final Map<String, MethodNode> addedConstructors = new LinkedHashMap<>();

  final Map<String, FieldNode> addedFields = new LinkedHashMap<>();
  final Map<String, FieldNode> removedFields = new LinkedHashMap<>();

  /**
   * For the added instance fields that have neither an initializer nor a field they take over from,
   * by name: the value objects built before the update get from the sites that built them ({@link
   * CreationSites}), or why there is none. Filled by {@link UpdateClasses}.
   */
  final Map<String, CreationSites.Derivation> fromCreationSites = new LinkedHashMap<>();

  /**
   * Fields that keep their name but change their type, by name: old and new declaration. {@link
   * FieldRetyping} decides whether the loaded field can serve both (and then takes them out of the
   * added and removed fields) or refuses the class.
   */
  final Map<String, FieldNode[]> typeChanges = new LinkedHashMap<>();

  /**
   * Serialization methods the fixed class adds ({@code readObject}, {@code writeReplace}...), which
   * Java serialization finds by reflection on the loaded class; {@link SerializationMethods}
   * decides what becomes of them.
   */
  final Map<String, MethodNode> serializationMethods = new LinkedHashMap<>();

  /** What an operator should know about the serialization methods the class adds. */
  final List<String> serializationNotes = new ArrayList<>();

  /**
   * Enum constants the fixed class adds, by name; {@link AddedEnumConstants} decides whether they
   * can live beside the loaded ones.
   */
  final List<String> addedEnumConstants = new ArrayList<>();

  /** What an operator should know about the enum constants the class adds. */
  final List<String> enumNotes = new ArrayList<>();

  /** What an operator should know about the abstract methods the class adds. */
  final List<String> abstractNotes = new ArrayList<>();

  /** What an operator should know about the fields that kept their old type. */
  final List<String> retypedNotes = new ArrayList<>();

  /** Whether objects built before the update may hold values the fixed code cannot read. */
  boolean retypedNeedHook;

  /** An added serialization method that is not in force live ({@link SerializationMethods}). */
  boolean serializationNotInForce;

  /** Members present in both whose flags differ; the installed class keeps the pre flags. */
  final List<String> flagChanges = new ArrayList<>();

  /** Why the class cannot be applied live at all; empty when it can. */
  final List<String> refusals = new ArrayList<>();

  private SchemaComparison(ClassNode pre, ClassNode post) {
    this.pre = pre;
    this.post = post;
  }

  static SchemaComparison of(ClassNode pre, ClassNode post) {
    return of(pre, post, null, null);
  }

  /**
   * @param preTypes the hierarchy of the vulnerable release, or null
   * @param postTypes the hierarchy of the fixed release, or null: with both, an interface list that
   *     is written differently but names the same supertypes (an interface dropped that the
   *     superclass implements anyway, as {@code Serializable} on an enum) is not a change the
   *     running JVM sees, and the installed class keeps its loaded list
   */
  static SchemaComparison of(
      ClassNode pre, ClassNode post, ClassHierarchy preTypes, ClassHierarchy postTypes) {
    SchemaComparison s = new SchemaComparison(pre, post);
    s.compareHeader(preTypes, postTypes);
    s.compareMethods();
    s.compareFields();
    return s;
  }

  boolean isStructural() {
    return !addedMethods.isEmpty()
        || !addedConstructors.isEmpty()
        || !removedMethods.isEmpty()
        || !addedFields.isEmpty()
        || !removedFields.isEmpty()
        || !flagChanges.isEmpty()
        || !typeChanges.isEmpty();
  }

  private void compareHeader(ClassHierarchy preTypes, ClassHierarchy postTypes) {
    String name = pre.name.replace('/', '.');
    if (!Objects.equals(pre.superName, post.superName)) {
      refusals.add(
          name
              + " changes its superclass from "
              + dotted(pre.superName)
              + " to "
              + dotted(post.superName)
              + "; a loaded class's hierarchy cannot change");
    }
    if (!pre.interfaces.equals(post.interfaces) && !sameSupertypes(preTypes, postTypes)) {
      refusals.add(
          name
              + " changes the interfaces it implements ("
              + pre.interfaces
              + " -> "
              + post.interfaces
              + "); a loaded class's hierarchy cannot change");
    }
    int kinds = Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION | Opcodes.ACC_ENUM;
    if ((pre.access & kinds) != (post.access & kinds)) {
      refusals.add(
          name
              + " changes from "
              + kind(pre.access)
              + " to "
              + kind(post.access)
              + "; a loaded class's kind cannot change");
    }
    if (!Objects.equals(recordComponents(pre), recordComponents(post))) {
      refusals.add(name + " changes its record components");
    }
    if ((pre.access & Opcodes.ACC_ENUM) != 0) {
      List<String> preConstants = enumConstants(pre);
      List<String> postConstants = enumConstants(post);
      List<String> added = new ArrayList<>(postConstants);
      added.removeAll(preConstants);
      addedEnumConstants.addAll(added); // AddedEnumConstants decides
    }
  }

  private boolean sameSupertypes(ClassHierarchy preTypes, ClassHierarchy postTypes) {
    if (preTypes == null || postTypes == null || !Objects.equals(pre.superName, post.superName)) {
      return false;
    }
    var before = preTypes.supertypes(pre.name);
    return before != null && before.equals(postTypes.supertypes(post.name));
  }

  /** Methods the JDK finds by reflection, by name and descriptor, not through the code's calls. */
  private static final java.util.Set<String> REFLECTIVE =
      java.util.Set.of(
          "readObject(Ljava/io/ObjectInputStream;)V",
          "writeObject(Ljava/io/ObjectOutputStream;)V",
          "readObjectNoData()V",
          "readResolve()Ljava/lang/Object;",
          "writeReplace()Ljava/lang/Object;",
          "readExternal(Ljava/io/ObjectInput;)V",
          "writeExternal(Ljava/io/ObjectOutput;)V");

  private void compareMethods() {
    Map<String, MethodNode> preMethods = methods(pre);
    Map<String, MethodNode> postMethods = methods(post);
    for (MethodNode m : post.methods) {
      String key = m.name + m.desc;
      MethodNode old = preMethods.get(key);
      if (old == null) {
        if (m.name.equals("<init>")) {
          addedConstructors.put(key, m);
          continue;
        }
        addedMethods.put(key, m);
        if (REFLECTIVE.contains(key) && (m.access & Opcodes.ACC_STATIC) == 0) {
          serializationMethods.put(key, m); // SerializationMethods decides
        }
        if ((m.access & Opcodes.ACC_ABSTRACT) != 0) {
          abstractNotes.add(
              pre.name.replace('/', '.')
                  + " adds the abstract method "
                  + key
                  + ": callers reach its implementations in the release through the companion;"
                  + " a class outside the release that lacks it throws AbstractMethodError there,"
                  + " as it would with the fixed release");
        }
      } else if (old.access != m.access && !sameIgnoringSyntheticBits(old.access, m.access)) {
        int kind = Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE;
        if (((old.access ^ m.access) & kind) != 0) {
          // Static <-> instance is a different method to the JVM, and a redefined method keeps
          // its flags, so an abstract or native one cannot gain code (a method moved up into an
          // abstract declaration): keep the old declaration, and the new code, if any, as added.
          removedMethods.put(key, old);
          if ((m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0) {
            addedMethods.put(key, m);
          }
        } else {
          flagChanges.add(key);
        }
      }
    }
    for (MethodNode m : pre.methods) {
      if (!postMethods.containsKey(m.name + m.desc)) {
        removedMethods.put(m.name + m.desc, m);
      }
    }
    if (addedMethods.containsKey("<clinit>()V")) {
      addedMethods.remove("<clinit>()V"); // a new static initializer is a static-state change
    }
    if (removedMethods.containsKey("<clinit>()V")) {
      removedMethods.remove("<clinit>()V");
    }
  }

  private void compareFields() {
    Map<String, FieldNode> preFields = fields(pre);
    Map<String, FieldNode> postFields = fields(post);
    for (FieldNode f : post.fields) {
      FieldNode old = preFields.get(f.name + ":" + f.desc);
      if (old == null) {
        FieldNode sameName =
            pre.fields.stream().filter(p -> p.name.equals(f.name)).findFirst().orElse(null);
        if (sameName != null) {
          typeChanges.put(f.name, new FieldNode[] {sameName, f});
        }
        addedFields.put(f.name + ":" + f.desc, f);
      } else if (old.access != f.access) {
        flagChanges.add(f.name + ":" + f.desc);
      }
    }
    for (FieldNode f : pre.fields) {
      if (!postFields.containsKey(f.name + ":" + f.desc)) {
        removedFields.put(f.name + ":" + f.desc, f);
      }
    }
  }

  private static boolean sameIgnoringSyntheticBits(int a, int b) {
    int ignored = Opcodes.ACC_SYNTHETIC | Opcodes.ACC_DEPRECATED;
    return (a & ~ignored) == (b & ~ignored);
  }

  static Map<String, MethodNode> methods(ClassNode c) {
    Map<String, MethodNode> out = new LinkedHashMap<>();
    c.methods.forEach(m -> out.put(m.name + m.desc, m));
    return out;
  }

  static Map<String, FieldNode> fields(ClassNode c) {
    Map<String, FieldNode> out = new LinkedHashMap<>();
    c.fields.forEach(f -> out.put(f.name + ":" + f.desc, f));
    return out;
  }

  private static List<String> recordComponents(ClassNode c) {
    return c.recordComponents == null
        ? List.of()
        : c.recordComponents.stream().map(r -> r.name + ":" + r.descriptor).toList();
  }

  static List<String> enumConstants(ClassNode c) {
    return c.fields.stream()
        .filter(f -> (f.access & Opcodes.ACC_ENUM) != 0)
        .map(f -> f.name)
        .toList();
  }

  private static String kind(int access) {
    if ((access & Opcodes.ACC_ANNOTATION) != 0) {
      return "an annotation type";
    }
    if ((access & Opcodes.ACC_INTERFACE) != 0) {
      return "an interface";
    }
    return (access & Opcodes.ACC_ENUM) != 0 ? "an enum" : "a class";
  }

  static String dotted(String internal) {
    return internal == null ? "none" : internal.replace('/', '.');
  }
}
