package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Finds static caches that hold objects built by code an update changes, so that the agent can drop
 * them and let the fixed code rebuild them on demand. A cache is a static map or collection whose
 * generic type names the class as an element or value type, e.g. Spring's {@code
 * ConcurrentMap<Class<?>, CachedIntrospectionResults> strongClassCache}: after a fix to the
 * constructor of {@code CachedIntrospectionResults}, the cached results still carry the old
 * behaviour until the cache is cleared.
 */
final class CachePlanner {
  private CachePlanner() {}

  /** A static field holding a cache. */
  record Cache(String owner, String field) {}

  /**
   * @param builtClass internal name of the class whose construction changed
   * @param classes every class of the fixed release, by internal name
   */
  static List<Cache> cachesOf(
      String builtClass, Set<String> classes, PostView post, ClassHierarchy hierarchy) {
    List<Cache> found = new ArrayList<>();
    String typeArgument = "L" + builtClass + ";";
    for (String name : classes) {
      byte[] bytes = post.bytes(name);
      if (bytes == null) {
        continue;
      }
      new ClassReader(bytes)
          .accept(
              new ClassVisitor(Opcodes.ASM9) {
                @Override
                public FieldVisitor visitField(
                    int access, String field, String descriptor, String signature, Object value) {
                  if ((access & Opcodes.ACC_STATIC) != 0
                      && signature != null
                      && signature.contains("<")
                      && signature.contains(typeArgument)
                      && isMap(descriptor, hierarchy)
                      && filledOnDemand(name, field, descriptor, classes, post)) {
                    found.add(new Cache(name, field));
                  }
                  return null;
                }
              },
              ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }
    return found;
  }

  private static boolean isMap(String descriptor, ClassHierarchy hierarchy) {
    Type type = Type.getType(descriptor);
    return type.getSort() == Type.OBJECT
        && hierarchy.isSubtype(type.getInternalName(), "java/util/Map");
  }

  private static final Set<String> FILLING =
      Set.of("put", "putIfAbsent", "computeIfAbsent", "compute", "merge");

  /** Whether code outside static initializers stores into the map the field holds. */
  private static boolean filledOnDemand(
      String owner, String field, String descriptor, Set<String> classes, PostView post) {
    for (String name : classes) {
      byte[] bytes = post.bytes(name);
      if (bytes == null) {
        continue;
      }
      ClassNode node = new ClassNode();
      new ClassReader(bytes).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      for (MethodNode method : node.methods) {
        if (!method.name.equals("<clinit>")
            && storesInto(node.name, method, owner, field, descriptor)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean storesInto(
      String self, MethodNode method, String owner, String field, String descriptor) {
    boolean reads = false;
    for (AbstractInsnNode insn : method.instructions) {
      if (insn instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.GETSTATIC
          && f.owner.equals(owner)
          && f.name.equals(field)
          && f.desc.equals(descriptor)) {
        reads = true;
        break;
      }
    }
    if (!reads) {
      return false;
    }
    Frame<StaticOrigins.Origin>[] frames;
    try {
      frames = new Analyzer<>(new StaticOrigins()).analyze(self, method);
    } catch (AnalyzerException e) {
      return false;
    }
    String key = owner + "." + field;
    for (int i = 0; i < method.instructions.size(); i++) {
      if (method.instructions.get(i) instanceof MethodInsnNode call
          && FILLING.contains(call.name)
          && frames[i] != null) {
        int args = Type.getArgumentTypes(call.desc).length;
        if (frames[i].getStack(frames[i].getStackSize() - args - 1).fields().contains(key)) {
          return true;
        }
      }
    }
    return false;
  }
}
