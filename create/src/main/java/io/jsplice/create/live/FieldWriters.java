package io.jsplice.create.live;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Which methods of the fixed release assign which instance fields: a field that only its class's
 * constructors (and the setup methods they call) assign still holds what the constructor gave it,
 * whatever the program did since (reflection aside). Code outside the release can assign a field
 * only when it is not private; such a field counts as assigned elsewhere. Built on first use, one
 * pass over the release.
 */
final class FieldWriters {
  private final PostView post;
  private Map<String, Set<String>> writers; // owner.field -> owner.method+desc

  FieldWriters(PostView post) {
    this.post = post;
  }

  /**
   * Whether nothing but the given methods of the owner assigns the field.
   *
   * @param owner internal name
   * @param allowed keys ({@code name+desc}) of the owner's methods allowed to assign it
   */
  boolean onlyAssignedBy(String owner, String field, Set<String> allowed) {
    ClassNode node = node(owner);
    boolean isPrivate =
        node != null
            && node.fields.stream()
                .anyMatch(f -> f.name.equals(field) && (f.access & Opcodes.ACC_PRIVATE) != 0);
    if (!isPrivate) {
      return false; // code the release does not contain may assign it
    }
    for (String writer : writers().getOrDefault(owner + "." + field, Set.of())) {
      if (!writer.startsWith(owner + ".")
          || !allowed.contains(writer.substring(owner.length() + 1))) {
        return false;
      }
    }
    return true;
  }

  private Map<String, Set<String>> writers() {
    if (writers == null) {
      writers = new HashMap<>();
      for (String name : post.names()) {
        ClassNode node = node(name);
        if (node == null) {
          continue;
        }
        for (MethodNode m : node.methods) {
          for (AbstractInsnNode insn : m.instructions) {
            if (insn instanceof FieldInsnNode f && f.getOpcode() == Opcodes.PUTFIELD) {
              writers
                  .computeIfAbsent(f.owner + "." + f.name, k -> new HashSet<>())
                  .add(name + "." + m.name + m.desc);
            }
          }
        }
      }
    }
    return writers;
  }

  private final Map<String, ClassNode> nodes = new HashMap<>();

  private ClassNode node(String name) {
    return nodes.computeIfAbsent(
        name,
        n -> {
          byte[] bytes = post.bytes(n);
          if (bytes == null) {
            return null;
          }
          ClassNode node = new ClassNode();
          new ClassReader(bytes).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
          return node;
        });
  }
}
