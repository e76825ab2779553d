package io.jsplice.create.live;

import io.jsplice.create.diff.ClassDiff;
import io.jsplice.create.diff.ClassSetDiff;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.Remapper;

/**
 * Gives every post class and member the name the running JVM knows it by.
 *
 * <p>When javac renumbers synthetic members ({@code lambda$run$0} becomes {@code lambda$run$1}
 * because a lambda was inserted before it) or anonymous classes, already-linked call sites in the
 * running JVM keep calling the old names. Installing the post class as compiled would make those
 * call sites run a different lambda body. So the installed code takes the pre names for everything
 * the diff paired by content, and any post member or class that would then collide with a pre name
 * it does not correspond to gets a fresh name ({@code lambda$run$0$jsplice}).
 *
 * <p>Immutable once built.
 */
final class SyntheticRenames extends Remapper {
  static final String FRESH_SUFFIX = "$jsplice";

  private final Map<String, String> classes; // post internal name -> installed name
  private final Map<String, String> members; // owner(post) + "." + name + desc -> installed name

  private SyntheticRenames(Map<String, String> classes, Map<String, String> members) {
    super(Opcodes.ASM9);
    this.classes = classes;
    this.members = members;
  }

  static SyntheticRenames of(ClassSetDiff diff) {
    Map<String, String> classes = new HashMap<>(diff.renamedClasses());
    Set<String> preNames = diff.pre().classes().keySet();
    Set<String> claimed = new HashSet<>(classes.values());
    Set<String> removed = new HashSet<>();
    for (ClassDiff c : diff.classes()) {
      if (c.post() == null) {
        removed.add(c.preName());
      }
    }
    for (String post : diff.post().classes().keySet()) {
      if (classes.containsKey(post)) {
        continue;
      }
      // A post class whose name belongs to a different pre class (renamed away, or removed: gson
      // 2.8.9's ObjectTypeAdapter$1 captures a strategy, 2.8.8's did not) is new.
      if (preNames.contains(post) && (claimed.contains(post) || removed.contains(post))) {
        classes.put(post, fresh(post, n -> preNames.contains(n) || diff.post().bytes(n) != null));
      }
    }
    Map<String, String> members = new HashMap<>();
    for (ClassDiff c : diff.classes()) {
      if (c.post() == null || c.pre() == null) {
        continue;
      }
      String owner = c.postName();
      Set<String> preMembers = memberKeys(c.pre());
      Set<String> claimedMembers = new HashSet<>(c.renamedMembers().values());
      c.renamedMembers().forEach((post, pre) -> members.put(owner + "." + post, nameOf(pre)));
      for (String post : memberKeys(c.post())) {
        if (c.renamedMembers().containsKey(post)) {
          continue;
        }
        if (preMembers.contains(post) && claimedMembers.contains(post)) {
          String desc = post.substring(nameOf(post).length());
          String name =
              fresh(
                  nameOf(post),
                  n -> preMembers.contains(n + desc) || memberKeys(c.post()).contains(n + desc));
          members.put(owner + "." + post, name);
        }
      }
    }
    return new SyntheticRenames(classes, members);
  }

  boolean isEmpty() {
    return classes.isEmpty() && members.isEmpty();
  }

  /** The name a post class is installed under. */
  String installedName(String postName) {
    return classes.getOrDefault(postName, postName);
  }

  @Override
  public String map(String internalName) {
    return classes.getOrDefault(internalName, internalName);
  }

  @Override
  public String mapMethodName(String owner, String name, String descriptor) {
    return members.getOrDefault(owner + "." + name + descriptor, name);
  }

  @Override
  public String mapInvokeDynamicMethodName(String name, String descriptor) {
    return name;
  }

  @Override
  public String mapFieldName(String owner, String name, String descriptor) {
    return members.getOrDefault(owner + "." + name + ":" + descriptor, name);
  }

  private static String nameOf(String memberKey) {
    int paren = memberKey.indexOf('(');
    int colon = memberKey.indexOf(':');
    int end = paren >= 0 ? paren : colon;
    return end < 0 ? memberKey : memberKey.substring(0, end);
  }

  private static String fresh(String base, java.util.function.Predicate<String> taken) {
    String candidate = base + FRESH_SUFFIX;
    for (int i = 2; taken.test(candidate); i++) {
      candidate = base + FRESH_SUFFIX + i;
    }
    return candidate;
  }

  static Set<String> memberKeys(byte[] classFile) {
    Set<String> keys = new HashSet<>();
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public FieldVisitor visitField(
                  int access, String name, String descriptor, String signature, Object value) {
                keys.add(name + ":" + descriptor);
                return null;
              }

              @Override
              public MethodVisitor visitMethod(
                  int access, String name, String descriptor, String signature, String[] ex) {
                keys.add(name + descriptor);
                return null;
              }
            },
            ClassReader.SKIP_CODE);
    return keys;
  }
}
