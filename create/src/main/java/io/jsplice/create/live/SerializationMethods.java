package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import io.jsplice.bootstrap.HookContext;
import io.jsplice.bootstrap.SerialRejections;
import io.jsplice.bootstrap.UpdateHook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Serialization methods an update adds to loaded classes. Java serialization looks them up by
 * reflection on the class, where a method added live is not, so each is judged by what it does:
 *
 * <ul>
 *   <li>a {@code readObject} that does nothing but throw (gson 2.8.9's "Deserialization is
 *       unsupported") refuses the class's objects; the JDK's deserialization filter does the same
 *       for the loaded class: the update carries a generated hook that has {@link SerialRejections}
 *       refuse the class after the switch, and stop refusing it before an undo;
 *   <li>a {@code readObject} that runs a check of static state, then the default read ({@link
 *       ReadObjectCheck}: commons-collections 3.2.2's "unless a system property allows it") refuses
 *       the class's objects when the check throws: the check becomes a static method of the class's
 *       companion, which the filter runs for each stream that meets the class;
 *   <li>{@code writeReplace} and {@code writeObject} change what serialization writes, not what it
 *       accepts: they are not in force live (objects serialize as before); the class's verdict says
 *       that part of the fix needs a hook (or a restart), and the report says why;
 *   <li>any other ({@code readResolve}, a {@code readObject} that reads, {@code readExternal}...)
 *       decides what deserialization builds, which only the loaded class can do: refused.
 * </ul>
 */
final class SerializationMethods {
  private static final String READ_OBJECT = "readObject(Ljava/io/ObjectInputStream;)V";
  private static final String HOOK = Type.getInternalName(UpdateHook.class);
  private static final String CONTEXT = Type.getInternalName(HookContext.class);
  private static final String REJECTIONS = Type.getInternalName(SerialRejections.class);

  private final List<String> rejected = new ArrayList<>();
  private final Map<String, String> checked = new LinkedHashMap<>(); // class -> its companion

  private SerializationMethods() {}

  /**
   * Decides every added serialization method; refusals and notes go into the schemas, a lowered
   * check into the added methods of its class.
   *
   * @param effects judges what the checks of added readObject methods call
   */
  static SerializationMethods decide(
      UpdateClasses update, SideEffectCheck effects, String updateId) {
    SerializationMethods out = new SerializationMethods();
    for (Map.Entry<String, SchemaComparison> e : update.schemas.entrySet()) {
      String owner = e.getKey();
      SchemaComparison schema = e.getValue();
      for (Map.Entry<String, MethodNode> m : schema.serializationMethods.entrySet()) {
        String key = m.getKey();
        if (key.equals(READ_OBJECT) && onlyRefuses(m.getValue())) {
          out.rejected.add(owner);
          schema.serializationNotes.add(
              dotted(owner)
                  + " adds a readObject that refuses its objects; serialization finds methods by"
                  + " reflection on the loaded class, so the JDK's deserialization filter refuses "
                  + dotted(owner)
                  + " instead (InvalidClassException, filter status REJECTED)");
        } else if (key.equals(READ_OBJECT)) {
          ReadObjectCheck.Result lowered = ReadObjectCheck.lower(owner, m.getValue(), effects);
          if (lowered.check() != null) {
            schema.addedMethods.put(ReadObjectCheck.CHECK_METHOD + "()V", lowered.check());
            out.checked.put(owner, Companions.companionName(owner, updateId));
            schema.serializationNotes.add(
                dotted(owner)
                    + " adds a readObject that runs a check of static state, then reads;"
                    + " serialization finds methods by reflection on the loaded class, so the JDK's"
                    + " deserialization filter runs the same check for each stream that meets "
                    + dotted(owner)
                    + " and refuses it where the check throws (InvalidClassException, filter status"
                    + " REJECTED, the check's exception as its cause); a stream created before the"
                    + " update keeps its filter");
          } else {
            schema.refusals.add(
                dotted(owner)
                    + " adds a readObject, which Java serialization finds by reflection on the"
                    + " loaded class, where a method added live is not; it is not a check of static"
                    + " state followed by the default read ("
                    + lowered.refusal()
                    + "), so it decides what deserialization builds and applies only after a"
                    + " restart");
          }
        } else if (key.startsWith("writeReplace(") || key.startsWith("writeObject(")) {
          schema.serializationNotInForce = true;
          schema.serializationNotes.add(
              dotted(owner)
                  + " adds "
                  + key
                  + ", which is not in force live: serialization finds it by reflection on the"
                  + " loaded class, so its objects serialize as before until a restart");
        } else {
          schema.refusals.add(
              dotted(owner)
                  + " adds "
                  + key
                  + ", which Java serialization finds by reflection on the loaded class, where a"
                  + " method added live is not; it decides what deserialization builds, so it"
                  + " applies only after a restart");
        }
      }
    }
    return out;
  }

  /**
   * Whether the method ends in a throw on every path and does nothing on the way but build the
   * exception (its message included).
   */
  static boolean onlyRefuses(MethodNode m) {
    boolean throwsSomething = false;
    for (AbstractInsnNode insn : m.instructions) {
      int op = insn.getOpcode();
      if (op < 0) {
        continue;
      }
      if (op == Opcodes.ATHROW) {
        throwsSomething = true;
      } else if (insn instanceof MethodInsnNode call) {
        boolean builds =
            call.name.equals("<init>")
                || call.owner.equals("java/lang/String")
                || call.owner.equals("java/lang/StringBuilder")
                || (call.owner.equals("java/lang/Object") && call.name.equals("getClass"))
                || (call.owner.equals("java/lang/Class") && call.name.startsWith("get"));
        if (!builds) {
          return false;
        }
      } else if (!(op == Opcodes.NEW
          || op == Opcodes.DUP
          || op == Opcodes.LDC
          || op == Opcodes.ACONST_NULL
          || (op >= Opcodes.ICONST_M1 && op <= Opcodes.SIPUSH)
          || op == Opcodes.ALOAD)) {
        return false; // returns, branches, stores, field writes: more than refusing
      }
    }
    return throwsSomething;
  }

  /** Whether the update refuses some class through the deserialization filter. */
  boolean any() {
    return !rejected.isEmpty() || !checked.isEmpty();
  }

  /**
   * The generated hook that refuses the classes after the switch and lets them through again before
   * an undo; its internal name is {@code name}.
   */
  byte[] hook(String name) {
    ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    w.visit(
        Opcodes.V1_8,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC,
        name,
        null,
        "java/lang/Object",
        new String[] {HOOK});
    MethodVisitor init = w.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();
    each(w, "afterApply", "reject");
    each(w, "beforeUndo", "allow");
    w.visitEnd();
    return w.toByteArray();
  }

  /** Pushes {@code Class.forName(name, false, context.loader())}. */
  private static void loadClass(MethodVisitor m, String name) {
    m.visitLdcInsn(dotted(name));
    m.visitInsn(Opcodes.ICONST_0);
    m.visitVarInsn(Opcodes.ALOAD, 1);
    m.visitMethodInsn(
        Opcodes.INVOKEINTERFACE, CONTEXT, "loader", "()Ljava/lang/ClassLoader;", true);
    m.visitMethodInsn(
        Opcodes.INVOKESTATIC,
        "java/lang/Class",
        "forName",
        "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;",
        false);
  }

  /**
   * {@code hookMethod(context)}: {@code SerialRejections.action(Class.forName(c, false, loader))}.
   */
  private void each(ClassWriter w, String hookMethod, String action) {
    MethodVisitor m =
        w.visitMethod(
            Opcodes.ACC_PUBLIC,
            hookMethod,
            "(L" + CONTEXT + ";)V",
            null,
            new String[] {"java/lang/Exception"});
    m.visitCode();
    for (String c : rejected) {
      loadClass(m, c);
      m.visitMethodInsn(Opcodes.INVOKESTATIC, REJECTIONS, action, "(Ljava/lang/Class;)V", false);
    }
    for (Map.Entry<String, String> c : checked.entrySet()) {
      loadClass(m, c.getKey());
      if (action.equals("reject")) {
        // A class constant, not a name: the companion's name gains the update's digest later.
        m.visitLdcInsn(Type.getObjectType(c.getValue()));
        m.visitLdcInsn(ReadObjectCheck.CHECK_METHOD);
        m.visitMethodInsn(
            Opcodes.INVOKESTATIC,
            REJECTIONS,
            "rejectUnless",
            "(Ljava/lang/Class;Ljava/lang/Class;Ljava/lang/String;)V",
            false);
      } else {
        m.visitMethodInsn(Opcodes.INVOKESTATIC, REJECTIONS, action, "(Ljava/lang/Class;)V", false);
      }
    }
    m.visitInsn(Opcodes.RETURN);
    m.visitMaxs(0, 0);
    m.visitEnd();
  }
}
