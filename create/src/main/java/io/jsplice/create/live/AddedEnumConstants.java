package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Enum constants an update adds to a loaded enum. A constant is a static field holding an object of
 * the enum built by its constructor with its name and the next ordinal: it lives in the companion
 * like any added static field, initialized from its slice of the new static initializer, so the
 * fixed code that names it (spring-expression 5.3.17's {@code SpelMessage
 * .MAX_ARRAY_ELEMENTS_THRESHOLD_EXCEEDED}) gets it, and its name, ordinal and fields are the fixed
 * release's. What the running JVM built for the constants it loaded does not list it: {@code
 * values()} and its cache in the {@code Class} ({@code valueOf}, {@code getEnumConstants}, {@code
 * EnumSet} and {@code EnumMap}, sized for the old constants), and the switch tables of the code
 * that switches on the enum. So the constants are added only when no code of the fixed release
 * enumerates the enum, looks a constant up by name, or switches on it; code outside the release
 * (the application) that does so does not see them, which the report says. Otherwise the class is
 * refused, naming the first such use.
 *
 * <p>An enumerating use is, in any class of the fixed release: a call of the enum's {@code values}
 * or {@code valueOf}; its class literal outside its own {@code valueOf} (what {@code Enum.valueOf},
 * {@code EnumSet.allOf}, {@code new EnumMap} and {@code getEnumConstants} are given); a switch
 * table for it (javac's {@code $SwitchMap$}, the Eclipse compiler's {@code $SWITCH_TABLE$}, a
 * switch bootstrap given it); and, in a method that names the enum at all, a call into {@code
 * EnumSet} or {@code EnumMap}, or of {@code ordinal()} or {@code compareTo} (a constant the fixed
 * release inserts before others takes an ordinal a loaded constant has). An added constant with a
 * body (an added subclass of the enum) is refused.
 */
final class AddedEnumConstants {
  /** The enum's own methods that enumerate its constants by construction. */
  private static final Set<String> OWN = Set.of("<clinit>", "values", "valueOf", "$values");

  private AddedEnumConstants() {}

  /** Decides every enum of the update that adds constants; refusals and notes go in the schemas. */
  static void decide(UpdateClasses update) {
    for (Map.Entry<String, SchemaComparison> e : update.schemas.entrySet()) {
      SchemaComparison schema = e.getValue();
      if (schema.addedEnumConstants.isEmpty()) {
        continue;
      }
      String enumName = e.getKey();
      String use = constantBody(update, enumName);
      if (use == null) {
        use = firstEnumeratingUse(update.post, enumName);
      }
      String name = dotted(enumName);
      if (use != null) {
        schema.refusals.add(
            name
                + " adds enum constants "
                + schema.addedEnumConstants
                + "; values(), valueOf, and the EnumSets, EnumMaps and switch tables the running"
                + " code built are sized for the constants it has, and "
                + use
                + ", so the new ones cannot be added live: it applies after a restart"
                + " (--live-subset leaves it out with what uses the new constants)");
      } else {
        schema.enumNotes.add(
            name
                + " adds enum constants "
                + schema.addedEnumConstants
                + ": they are static fields of the companion, with the fixed release's names and"
                + " ordinals; values(), valueOf and serialization do not list them (no code of the"
                + " release enumerates "
                + name
                + ", looks its constants up by name or switches on it; code outside the release"
                + " that does sees only the old constants)");
      }
    }
  }

  /**
   * A constant with a body is an object of a class the update adds, extending the enum, whose
   * constructor reaches the enum's private one: not lowered; described, or null when none has one.
   */
  private static String constantBody(UpdateClasses update, String enumName) {
    for (String added : update.added.keySet()) {
      byte[] bytes = update.post.bytes(added);
      if (bytes != null && enumName.equals(new ClassReader(bytes).getSuperName())) {
        return dotted(added) + " is the body of an added constant";
      }
    }
    return null;
  }

  /** The first use in the fixed release that enumerates {@code enumName}, described; null: none. */
  static String firstEnumeratingUse(PostView post, String enumName) {
    String descriptor = Type.getObjectType(enumName).getDescriptor();
    String mangled = enumName.replace('/', '$');
    for (String className : post.names()) {
      byte[] bytes = post.bytes(className);
      if (bytes == null) {
        continue;
      }
      ClassNode node = new ClassNode();
      new ClassReader(bytes).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      for (MethodNode m : node.methods) {
        if (className.equals(enumName) && OWN.contains(m.name)) {
          continue;
        }
        String use = enumeratingUse(m, enumName, descriptor, mangled);
        if (use != null) {
          return dotted(className) + "." + m.name + " " + use;
        }
      }
    }
    return null;
  }

  private static String enumeratingUse(
      MethodNode m, String enumName, String descriptor, String mangled) {
    boolean namesEnum = m.desc.contains(descriptor);
    boolean callsEnumCollections = false;
    boolean usesOrdinals = false;
    for (AbstractInsnNode insn : m.instructions) {
      if (insn instanceof MethodInsnNode call) {
        if (call.owner.equals(enumName)
            && (call.name.equals("values") || call.name.equals("valueOf"))) {
          return "calls its " + call.name;
        }
        if ((call.owner.equals(enumName) || call.owner.equals("java/lang/Enum"))
            && (call.name.equals("ordinal") || call.name.equals("compareTo"))) {
          usesOrdinals = true;
        }
        callsEnumCollections |=
            call.owner.equals("java/util/EnumSet") || call.owner.equals("java/util/EnumMap");
        namesEnum |= call.desc.contains(descriptor) || call.owner.equals(enumName);
      } else if (insn instanceof LdcInsnNode ldc
          && ldc.cst instanceof Type t
          && t.getSort() == Type.OBJECT
          && t.getInternalName().equals(enumName)) {
        return "takes its class literal";
      } else if (insn instanceof FieldInsnNode f) {
        if (f.name.equals("$SwitchMap$" + mangled) || f.name.equals("$SWITCH_TABLE$" + mangled)) {
          return "switches on it";
        }
        namesEnum |= f.owner.equals(enumName) || f.desc.equals(descriptor);
      } else if (insn instanceof InvokeDynamicInsnNode indy) {
        if (indy.bsm.getOwner().equals("java/lang/runtime/SwitchBootstraps")
            && mentions(indy.bsmArgs, enumName)) {
          return "switches on it";
        }
      }
    }
    if (m.name.equals("$SWITCH_TABLE$" + mangled)) {
      return "switches on it";
    }
    if (usesOrdinals && namesEnum) {
      return "compares its constants by ordinal";
    }
    return callsEnumCollections && namesEnum
        ? "may put its constants in an EnumSet or EnumMap"
        : null;
  }

  private static boolean mentions(Object[] args, String enumName) {
    for (Object a : args) {
      if ((a instanceof Type t && t.getDescriptor().contains(enumName))
          || (a instanceof Handle h && h.getOwner().equals(enumName))
          || (a instanceof String s && s.contains(enumName))
          || (a instanceof org.objectweb.asm.ConstantDynamic c
              && c.getDescriptor().contains(enumName))) {
        return true;
      }
    }
    return false;
  }
}
