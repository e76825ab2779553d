package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import java.util.List;
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
 * the enum built by its constructor with its name and ordinal: it lives in the companion like any
 * added static field, initialized from its slice of the new static initializer, so the fixed code
 * that names it (spring-expression 5.3.17's {@code
 * SpelMessage.MAX_ARRAY_ELEMENTS_THRESHOLD_EXCEEDED}, jackson-core 2.15.0's {@code
 * StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER}) gets it, and its name, ordinal and fields are the
 * fixed release's.
 *
 * <p>The enum's {@code values()} lists them: the fixed release's {@code $VALUES}, which holds the
 * loaded constants (the same objects) and the added ones, is computed in the companion too, and the
 * installed {@code values()} reads it there ({@link StaticStatePlanner.Strategy#ENUM_VALUES}); the
 * agent drops the JVM's cache of the constants ({@code Class.enumConstants} and its directory, what
 * {@code valueOf}, {@code EnumSet} and {@code EnumMap} use) after every switch of the enum, apply,
 * roll back and undo, so they are asked of {@code values()} again.
 *
 * <p>That is sound only when the added constants come after the loaded ones: each loaded constant
 * keeps its ordinal, so what the running code keyed by ordinal (an {@code int} mask of {@code 1 <<
 * ordinal()}, as jackson keeps its features, an {@code EnumSet}'s bits, an {@code EnumMap}'s slots)
 * still means the same constants, and an added constant is in none of it, as in anything built
 * before the fixed release existed. Refused, naming why: a constant inserted among the loaded ones
 * or a loaded one removed or moved (ordinals shift); an added constant with a body (an added
 * subclass of the enum); a switch on the enum in the fixed release (javac's {@code $SwitchMap$}
 * arrays, the Eclipse compiler's {@code $SWITCH_TABLE$}, a switch bootstrap: their tables, built
 * for the loaded constants, have no slot for the new ones); and a method that names the enum and
 * calls into {@code EnumSet} or {@code EnumMap} (one built before the update is sized for the
 * loaded constants: an added constant put in it breaks it). Code outside the release that switches
 * on the enum or keeps such sets is the agent's to find at apply ({@code GainedEnumConstants}); the
 * note says so.
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
      String name = dotted(enumName);
      String use = shiftedOrdinals(schema);
      if (use == null) {
        use = constantBody(update, enumName);
      }
      if (use == null) {
        use = firstUseBuiltForTheLoadedConstants(update.post, enumName);
      }
      if (use != null) {
        schema.refusals.add(
            name
                + " adds enum constants "
                + schema.addedEnumConstants
                + ", and "
                + use
                + ", so the new ones cannot be added live: it applies after a restart"
                + " (--live-subset leaves it out with what uses the new constants)");
      } else {
        schema.enumNotes.add(
            name
                + " adds enum constants "
                + schema.addedEnumConstants
                + ": they are objects of the loaded enum, static fields of the companion, with the"
                + " fixed release's names and the ordinals after the loaded constants, which keep"
                + " theirs; values(), valueOf, EnumSet.allOf and new EnumMaps list them (the"
                + " companion holds the fixed $VALUES, the agent resets the JVM's cache of the"
                + " constants at apply and undo). Masks, EnumSets and EnumMaps built before the"
                + " update do not hold them; no code of the release switches on "
                + name
                + " or puts its constants in an EnumSet or EnumMap; at apply the agent extends the"
                + " program's switch maps and EnumSets of it built for the loaded constants, and"
                + " refuses one of its EnumMaps built before the update unless accepted");
      }
    }
  }

  /**
   * Why the loaded constants would not keep their ordinals (the fixed release inserts, removes or
   * moves constants), described; null when every loaded constant keeps its place and the added ones
   * follow.
   */
  static String shiftedOrdinals(SchemaComparison schema) {
    List<String> loaded = SchemaComparison.enumConstants(schema.pre);
    List<String> fixed = SchemaComparison.enumConstants(schema.post);
    if (fixed.size() >= loaded.size() && fixed.subList(0, loaded.size()).equals(loaded)) {
      return null;
    }
    return "the loaded constants "
        + loaded
        + " are not the first of the fixed release's "
        + fixed
        + " (constants inserted, removed or moved): ordinals shift, and what the running code keyed"
        + " by ordinal (int masks of 1 << ordinal(), EnumSet bits, EnumMap slots, switch maps) would"
        + " mean other constants";
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

  /**
   * The first use in the fixed release of a table built for the loaded constants only: a switch on
   * {@code enumName}, or an {@code EnumSet} or {@code EnumMap} in a method that names it;
   * described, null when there is none.
   */
  static String firstUseBuiltForTheLoadedConstants(PostView post, String enumName) {
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
        String use = useBuiltForTheLoadedConstants(m, enumName, descriptor, mangled);
        if (use != null) {
          return dotted(className) + "." + m.name + " " + use;
        }
      }
    }
    return null;
  }

  private static String useBuiltForTheLoadedConstants(
      MethodNode m, String enumName, String descriptor, String mangled) {
    if (m.name.equals("$SWITCH_TABLE$" + mangled)) {
      return "switches on it (a switch table built for the loaded constants has no slot for the"
          + " new ones)";
    }
    boolean namesEnum = m.desc.contains(descriptor);
    boolean callsEnumCollections = false;
    for (AbstractInsnNode insn : m.instructions) {
      if (insn instanceof MethodInsnNode call) {
        callsEnumCollections |=
            call.owner.equals("java/util/EnumSet") || call.owner.equals("java/util/EnumMap");
        namesEnum |= call.desc.contains(descriptor) || call.owner.equals(enumName);
      } else if (insn instanceof LdcInsnNode ldc
          && ldc.cst instanceof Type t
          && t.getSort() == Type.OBJECT
          && t.getInternalName().equals(enumName)) {
        namesEnum = true;
      } else if (insn instanceof FieldInsnNode f) {
        if (f.name.equals("$SwitchMap$" + mangled) || f.name.equals("$SWITCH_TABLE$" + mangled)) {
          return "switches on it (a switch table built for the loaded constants has no slot for"
              + " the new ones)";
        }
        namesEnum |= f.owner.equals(enumName) || f.desc.equals(descriptor);
      } else if (insn instanceof InvokeDynamicInsnNode indy) {
        if (indy.bsm.getOwner().equals("java/lang/runtime/SwitchBootstraps")
            && mentions(indy.bsmArgs, enumName)) {
          return "switches on it";
        }
      }
    }
    return callsEnumCollections && namesEnum
        ? "may put its constants in an EnumSet or EnumMap (one built before the update is sized"
            + " for the loaded constants)"
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
