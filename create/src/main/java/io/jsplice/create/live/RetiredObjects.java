package io.jsplice.create.live;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Classes whose own objects the fixed release no longer builds: the vulnerable release creates them
 * ({@code new X}), the fixed one only creates subclasses of X (log4j 2.15.0's
 * MessagePatternConverter became the base of four converters chosen by a factory). Objects of X
 * that the program built before the update run the fixed class's code, which was written for its
 * subclasses only (here, a {@code format} that throws). No rule maps such an object to the subclass
 * the fixed release would have built: that choice was made from arguments the object no longer
 * holds, so only the program can rebuild it (a hook), and the planner says so.
 */
final class RetiredObjects {
  private final Set<String> builtBefore;
  private final Set<String> builtAfter;

  /**
   * @param pre the classes of the vulnerable release
   * @param post the classes of the fixed release
   */
  RetiredObjects(Iterable<byte[]> pre, Iterable<byte[]> post) {
    this.builtBefore = created(pre);
    this.builtAfter = created(post);
  }

  /**
   * Whether objects of {@code name} exist only if the vulnerable release built them: it did, the
   * fixed release does not, and no other code can (every constructor the fixed class has is private
   * or synthetic; reflection aside).
   */
  boolean isRetired(String name, org.objectweb.asm.tree.ClassNode post) {
    if (!builtBefore.contains(name) || builtAfter.contains(name)) {
      return false;
    }
    return post.methods.stream()
        .filter(m -> m.name.equals("<init>"))
        .allMatch(m -> (m.access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_SYNTHETIC)) != 0);
  }

  private static Set<String> created(Iterable<byte[]> classes) {
    Set<String> out = new HashSet<>();
    for (byte[] classFile : classes) {
      new ClassReader(classFile)
          .accept(
              new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(
                    int access, String name, String desc, String signature, String[] exceptions) {
                  return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitTypeInsn(int op, String type) {
                      if (op == Opcodes.NEW) {
                        out.add(type);
                      }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(
                        String n, String d, org.objectweb.asm.Handle bsm, Object... args) {
                      for (Object a : args) {
                        if (a instanceof org.objectweb.asm.Handle h
                            && h.getTag() == Opcodes.H_NEWINVOKESPECIAL) {
                          out.add(h.getOwner());
                        }
                      }
                    }
                  };
                }
              },
              ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }
    return out;
  }
}
