package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.FieldNode;

/**
 * Fields whose type the fixed release changes (JndiManager's {@code Context context} became a
 * {@code DirContext}). A loaded class keeps its fields, so the field keeps its old type in the
 * running JVM; the fixed code can still use it when every value it can meet fits both types:
 *
 * <ul>
 *   <li>a narrower type: every value the vulnerable release ever stored (so every value objects
 *       built before the update hold) is of the new type; the fixed code reads the field with a
 *       cast that therefore always succeeds, and what it writes fits the old type;
 *   <li>a wider type: every value the fixed release stores is of the old type; its writes are cast
 *       to the old type, its reads fit the new one.
 * </ul>
 *
 * Values are judged by their static types at each store and, for a parameter stored as it is, at
 * each call in the release. A narrower type whose old values may not fit still applies: the fixed
 * code cannot use an object built before the update that holds such a value (the cast fails,
 * loudly, rather than the old code running), which the report says, asking for a hook or a restart.
 * A wider type whose new values may not fit the old field is refused: the fixed code itself would
 * fail.
 */
final class FieldRetyping {
  private FieldRetyping() {}

  static void decide(UpdateClasses update, InstalledWorld world) {
    StoredTypes before = null;
    StoredTypes after = null;
    for (Map.Entry<String, SchemaComparison> e : update.schemas.entrySet()) {
      String owner = e.getKey();
      SchemaComparison schema = e.getValue();
      for (FieldNode[] change : schema.typeChanges.values()) {
        FieldNode old = change[0];
        FieldNode now = change[1];
        Type oldType = Type.getType(old.desc);
        Type newType = Type.getType(now.desc);
        String prefix =
            dotted(owner)
                + "."
                + now.name
                + " changes type from "
                + oldType.getClassName()
                + " to "
                + newType.getClassName()
                + "; the running JVM keeps the old type";
        if (oldType.getSort() != Type.OBJECT
            || newType.getSort() != Type.OBJECT
            || ((old.access ^ now.access) & Opcodes.ACC_STATIC) != 0) {
          schema.refusals.add(prefix + ", and no value can be both (it applies after a restart)");
          continue;
        }
        String why;
        String oldObjects = null;
        boolean narrower =
            world.post.isSubtype(newType.getInternalName(), oldType.getInternalName());
        boolean wider = world.post.isSubtype(oldType.getInternalName(), newType.getInternalName());
        if (narrower) {
          if (before == null) {
            before =
                new StoredTypes(
                    update.diff.pre().classes().keySet(),
                    update.diff.pre()::bytes,
                    world.installed);
          }
          List<String> outside =
              before.storesOutside(owner, old.name, old.desc, newType.getInternalName());
          why = null;
          if (!outside.isEmpty()) {
            oldObjects =
                "objects of "
                    + dotted(owner)
                    + " built before the update may hold in "
                    + now.name
                    + " a value that is not a "
                    + newType.getClassName()
                    + " ("
                    + outside.get(0)
                    + "): the fixed code cannot use such an object (reading the field throws"
                    + " ClassCastException); objects built from now on are fine, and a hook must"
                    + " replace the old ones";
          }
        } else if (wider) {
          if (after == null) {
            after = new StoredTypes(update.post.names(), update.post::bytes, world.post);
          }
          List<String> outside =
              after.storesOutside(owner, now.name, now.desc, oldType.getInternalName());
          why =
              outside.isEmpty()
                  ? null
                  : "the fixed code stores values that are not a "
                      + oldType.getClassName()
                      + " ("
                      + outside.get(0)
                      + "); it applies live where every stored value is one";
        } else {
          why = "neither type contains the other (it applies after a restart)";
        }
        if (why != null) {
          schema.refusals.add(prefix + ": " + why);
          continue;
        }
        schema.addedFields.remove(now.name + ":" + now.desc);
        schema.removedFields.remove(old.name + ":" + old.desc);
        world.relocations.retype(
            owner,
            now.name + ":" + now.desc,
            new Relocations.Retyped(
                old.desc,
                narrower ? newType.getInternalName() : null,
                wider ? oldType.getInternalName() : null));
        if (oldObjects != null) {
          schema.retypedNotes.add(oldObjects);
          schema.retypedNeedHook = true;
        }
        schema.retypedNotes.add(
            dotted(owner)
                + "."
                + now.name
                + " keeps its old type "
                + oldType.getClassName()
                + " in the running JVM; "
                + (narrower
                    ? "the fixed code reads it as a " + newType.getClassName()
                    : "every value the fixed code stores is a " + oldType.getClassName()));
      }
    }
  }
}
