package io.jsplice.create.diff;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * How the names of one class family in the post version map to the names the running JVM knows (the
 * pre version's), for the numbered classes and methods javac renumbered.
 *
 * <p>Comparing a post class after {@link #remap(ClassNode)} with its pre class shows what changed
 * apart from the renaming. A post class or method that is new but carries a number the running JVM
 * already uses for another one (javac gave it the number a renamed one had) is remapped to its name
 * with {@link #FRESH} appended, so that it never compares equal to the old one.
 *
 * <p>Immutable once built.
 */
final class Renames {
  /**
   * Appended to a post name that stands for something new although the running JVM knows the name.
   * javac never puts it into a name. It lives only inside the comparison; reports strip it.
   */
  static final String FRESH = "\u2020";

  /** How a numbered post class was paired with a pre class. */
  enum Pairing {
    /** Identical under the renames: only its number changed, or nothing at all. */
    CONTENT,
    /** A named class nested in a paired numbered class ({@code Outer$1$Inner}). */
    NESTED,
    /**
     * Same number and the same superclass, interfaces and enclosing method (or one of its name that
     * took over from it, removed); content changed.
     */
    SAME_NAME
  }

  private final Map<String, String> classTargets;
  private final Map<String, String> pairedClasses;
  private final Map<String, Pairing> pairings;
  private final Map<String, Map<String, String>> methodTargets;
  private final Map<String, Map<String, String>> renamedMembers;
  private final Remapper remapper = new PostToPre();

  private Renames(Builder builder) {
    this.classTargets = Map.copyOf(builder.classTargets);
    this.pairedClasses = Map.copyOf(builder.pairedClasses);
    this.pairings = Map.copyOf(builder.pairings);
    this.methodTargets = copy(builder.methodTargets);
    this.renamedMembers = copy(builder.renamedMembers);
  }

  static Renames none() {
    return new Builder().build();
  }

  /** Whether every post name stays as it is. */
  boolean isIdentity() {
    return classTargets.isEmpty() && methodTargets.isEmpty();
  }

  /** The pre class a numbered post class was paired with; null when it is new. */
  String pairedClass(String postName) {
    return pairedClasses.get(postName);
  }

  /** May return null (the class is not numbered, or not paired). */
  Pairing pairing(String postName) {
    return pairings.get(postName);
  }

  /** Post name to pre name of every paired class whose name differs. */
  Map<String, String> renamedClasses() {
    Map<String, String> renamed = new TreeMap<>();
    pairedClasses.forEach(
        (post, pre) -> {
          if (!post.equals(pre)) {
            renamed.put(post, pre);
          }
        });
    return renamed;
  }

  /** Post key to pre key of the methods of {@code postOwner} matched by content under new names. */
  Map<String, String> renamedMembers(String postOwner) {
    return renamedMembers.getOrDefault(postOwner, Map.of());
  }

  /** The name {@code postName} has after remapping. */
  String target(String postName) {
    return classTargets.getOrDefault(postName, postName);
  }

  /** A copy of {@code post} under the running JVM's names; {@code post} itself when none change. */
  ClassNode remap(ClassNode post) {
    if (isIdentity()) {
      return post;
    }
    ClassNode copy = new ClassNode();
    post.accept(new ClassRemapper(copy, remapper));
    Map<String, String> lambdas = new HashMap<>();
    methodTargets
        .getOrDefault(post.name, Map.of())
        .forEach((key, name) -> lambdas.put(key.substring(0, key.indexOf('(')), name));
    for (MethodNode method : copy.methods) {
      if (SerializedLambdas.isDeserializer(method)) {
        SerializedLambdas.rename(method, s -> renameString(s, lambdas), lambdas);
      }
    }
    return copy;
  }

  /** Strings in a deserializer: lambda names, class names and method descriptors. */
  private String renameString(String string, Map<String, String> lambdas) {
    if (lambdas.containsKey(string)) {
      return lambdas.get(string);
    }
    if (classTargets.containsKey(string)) {
      return classTargets.get(string);
    }
    if (string.startsWith("(")) {
      try {
        Type.getMethodType(string).getArgumentTypes(); // throws when it is no descriptor
        return remapper.mapMethodDesc(string);
      } catch (RuntimeException notADescriptor) {
        return string;
      }
    }
    return string;
  }

  /**
   * A remapped name for reports: the name as compiled, marked {@code (new)} where it stands for
   * something new under a name the running JVM uses for something else.
   */
  static String display(String name) {
    return name == null ? null : name.replace(FRESH, " (new)");
  }

  private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> maps) {
    Map<String, Map<String, String>> copy = new HashMap<>();
    maps.forEach((owner, map) -> copy.put(owner, Map.copyOf(map)));
    return Map.copyOf(copy);
  }

  private final class PostToPre extends Remapper {
    PostToPre() {
      super(Opcodes.ASM9);
    }

    @Override
    public String map(String internalName) {
      return classTargets.getOrDefault(internalName, internalName);
    }

    @Override
    public String mapMethodName(String owner, String name, String descriptor) {
      Map<String, String> targets = methodTargets.get(owner);
      return targets == null ? name : targets.getOrDefault(name + descriptor, name);
    }
  }

  /** Collects the pairings; not thread-safe. */
  static final class Builder {
    private final Map<String, String> classTargets = new TreeMap<>();
    private final Map<String, String> pairedClasses = new TreeMap<>();
    private final Map<String, Pairing> pairings = new TreeMap<>();
    private final Map<String, Map<String, String>> methodTargets = new TreeMap<>();
    private final Map<String, Map<String, String>> renamedMembers = new TreeMap<>();
    private final Set<String> takenPreClasses = new TreeSet<>();

    void pairClass(String post, String pre, Pairing pairing) {
      pairedClasses.put(post, pre);
      pairings.put(post, pairing);
      takenPreClasses.add(pre);
      if (!post.equals(pre)) {
        classTargets.put(post, pre);
      }
    }

    /** An unpaired post class that must be known by another name while comparing. */
    void moveClass(String post, String target) {
      if (!post.equals(target)) {
        classTargets.put(post, target);
      }
    }

    /** May return null (not paired, or not numbered). */
    String pairedClass(String post) {
      return pairedClasses.get(post);
    }

    boolean isPaired(String post) {
      return pairedClasses.containsKey(post);
    }

    boolean isTaken(String pre) {
      return takenPreClasses.contains(pre);
    }

    /** The name a post class has while comparing, so far. */
    String target(String post) {
      return classTargets.getOrDefault(post, post);
    }

    /**
     * A post method known by another name while comparing.
     *
     * @param preKey the pre method it was matched with by content; null for a new method that only
     *     needs a fresh name
     */
    void renameMethod(String postOwner, String postKey, String newName, String preKey) {
      methodTargets.computeIfAbsent(postOwner, o -> new TreeMap<>()).put(postKey, newName);
      if (preKey != null) {
        renamedMembers.computeIfAbsent(postOwner, o -> new TreeMap<>()).put(postKey, preKey);
      }
    }

    Renames build() {
      return new Renames(this);
    }
  }
}
