package io.jsplice.create.live;

import io.jsplice.model.JvmCondition;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * What a changed constructor (or a changed method only constructors run) does differently to the
 * object it builds, compared with its old version instruction by instruction.
 *
 * <p>The new code leaves every object exactly as the old code did when it is the old code with
 * <em>checks</em> inserted: blocks that store nothing (no field, static, local or array element),
 * call only code that only computes whenever it returns ({@link SideEffectCheck#checkCompleting}),
 * never pass the object being built to anything, are not inside a try block, leave the operand
 * stack as they found it, and either throw or fall through to where the old code continues. What a
 * block does only on its way to the throw (building the exception's message, with the arguments' or
 * the object's {@code toString}) counts for nothing but its stores: it happens only when the
 * construction fails ({@link CompletingCode}). An object the new code completes then has the field
 * values the old code gave it; an object built before the update is one the new code would have
 * built the same way, or one it would have refused (the input that built it is gone, so that
 * refusal cannot be replayed: the check guards construction, not what was built).
 *
 * <p>Any other difference may change what the object holds: the fields it may change are those the
 * method sets or reads from the first difference on (through its own class's methods it calls, and
 * the constructor it delegates to), or all of the method's when a loop runs back over the
 * difference. Sound, not exact: a value change that reaches only one field still names every field
 * set after it.
 */
final class ConstructionChanges {
  /**
   * One changed method's verdict.
   *
   * @param method {@code name+desc}
   * @param fields the object's fields it may set differently; empty when it sets them all the same
   * @param cause what differs, in words; empty when nothing does
   * @param unless a property of the running JVM under which the method builds the same objects in
   *     both versions (an implicit default charset made explicit); null when there is none
   * @param inertOnly the two versions differ only in {@link InertConstants inert constants}: no
   *     check was added, the method is the same for every object
   */
  record MethodChange(
      String method, Set<String> fields, String cause, JvmCondition unless, boolean inertOnly) {
    MethodChange(String method, Set<String> fields, String cause, JvmCondition unless) {
      this(method, fields, cause, unless, false);
    }

    MethodChange(String method, Set<String> fields, String cause) {
      this(method, fields, cause, null);
    }

    boolean neutral() {
      return fields.isEmpty();
    }
  }

  private static final int MAX_TOKENS = 4000;

  /** How an {@link InertConstants inert constant} is compared: equal to any other such. */
  private static final String INERT = "LDC (inert)";

  /** A method of {@code owner} as Java writes it: {@code JSONTokener(java.io.InputStream)}. */
  static String describe(String owner, String key) {
    int paren = key.indexOf('(');
    String name = key.substring(0, paren);
    if (name.equals("<init>")) {
      name = owner.substring(owner.lastIndexOf('/') + 1);
    }
    StringBuilder out = new StringBuilder(name).append('(');
    org.objectweb.asm.Type[] args = org.objectweb.asm.Type.getArgumentTypes(key.substring(paren));
    for (int i = 0; i < args.length; i++) {
      out.append(i == 0 ? "" : ", ").append(args[i].getClassName());
    }
    return out.append(')').toString();
  }

  private final ClassNode pre;
  private final ClassNode post;
  private final SideEffectCheck pure;
  private final MemoWrites memos;

  ConstructionChanges(ClassNode pre, ClassNode post, SideEffectCheck pure) {
    this.pre = pre;
    this.post = post;
    this.pure = pure;
    this.memos = new MemoWrites(pure::classNode, (owner, name) -> READING.contains(name));
  }

  /**
   * Compares the old and new versions of a method both versions have ({@code name+desc}). When they
   * differ, and would not once each version's calls that use the default charset implicitly named a
   * constant charset the fixed code uses ({@link DefaultCharsetCalls}), the change holds only
   * unless the running JVM's default charset is that one: objects the old code built in such a JVM
   * are those the new code builds.
   */
  MethodChange compare(String key) {
    MethodChange plain = compareAsWritten(key);
    if (plain.neutral()) {
      return plain;
    }
    Map<String, Boolean> byName = DefaultCharsetCalls.byName(post);
    for (Map.Entry<String, DefaultCharsetCalls.Spelling> c :
        DefaultCharsetCalls.constants(post).entrySet()) {
      ConstructionChanges explicit =
          new ConstructionChanges(
              DefaultCharsetCalls.explicit(pre, c.getValue(), byName),
              DefaultCharsetCalls.explicit(post, c.getValue(), byName),
              pure);
      if (explicit.compareAsWritten(key).neutral()) {
        return new MethodChange(
            key,
            plain.fields(),
            plain.cause(),
            new JvmCondition(JvmCondition.Kind.DEFAULT_CHARSET, c.getKey()));
      }
    }
    return plain;
  }

  private MethodChange compareAsWritten(String key) {
    MethodNode old = find(pre, key);
    MethodNode now = find(post, key);
    if (old == null || now == null) {
      return new MethodChange(
          key, fieldsOrNote(now == null ? old : now, 0), "it is not in both versions");
    }
    now = withGhostParametersDropped(now, old);
    if (delegation(old) >= 0 && delegation(now) < 0) {
      old = withDelegationInlined(old);
    }
    List<AbstractInsnNode> a = withoutRemovedFieldStores(tokens(old));
    List<AbstractInsnNode> b = tokens(now);
    int[] match = align(a, b, InertConstants.in(pre.name, old), InertConstants.in(post.name, now));
    if (match == null || !consistent(old, now, a, b, match)) {
      return new MethodChange(key, fieldsOrNote(now, 0), "its control flow changed");
    }
    Frame<SourceValue>[] frames = frames(now);
    boolean[] matchedNew = new boolean[b.size()];
    for (int i = 0; i < a.size(); i++) {
      if (match[i] >= 0) {
        matchedNew[match[i]] = true;
      }
    }
    for (int i = 0; i < a.size(); i++) {
      if (match[i] < 0 && !(a.get(i) instanceof LabelNode)) {
        return changed(
            key,
            new Alignment(old, now, a, b, match),
            firstDifference(a, match, i),
            "code the old version ran is gone");
      }
    }
    int j = 0;
    while (j < b.size()) {
      if (matchedNew[j]) {
        j++;
        continue;
      }
      int end = j;
      while (end < b.size() && !matchedNew[end]) {
        end++;
      }
      String problem =
          frames == null ? "its code cannot be analysed" : check(now, b, j, end, frames);
      if (problem != null) {
        return changed(key, new Alignment(old, now, a, b, match), j, problem);
      }
      j = end;
    }
    boolean inertOnly = true;
    for (int k = 0; k < b.size(); k++) {
      inertOnly &= matchedNew[k] || b.get(k) instanceof LabelNode;
    }
    return new MethodChange(key, Set.of(), "", null, inertOnly);
  }

  /** Two versions of a method and which old instruction matches which new one. */
  private record Alignment(
      MethodNode old,
      MethodNode now,
      List<AbstractInsnNode> a,
      List<AbstractInsnNode> b,
      int[] match) {}

  private MethodChange changed(String key, Alignment al, int at, String cause) {
    MethodNode now = al.now();
    Set<String> delegated = throughDelegation(al);
    if (delegated != null) {
      return new MethodChange(
          key,
          delegated.isEmpty() ? Set.of("(state outside its own fields)") : delegated,
          cause + ", in what it passes to " + describe(post.name, delegationKey(now)));
    }
    List<AbstractInsnNode> b = al.b();
    int from = now.instructions.indexOf(at < b.size() ? b.get(at) : now.instructions.getLast());
    if (loopsBackOver(now, from)) {
      from = 0;
    }
    Set<String> fields = fieldsFrom(now, from, new TreeSet<>());
    fields.addAll(goneStores(al));
    if (fields.isEmpty()) {
      fields.add("(state outside its own fields)");
    }
    return new MethodChange(key, fields, cause);
  }

  /** The fields of the class that old instructions with no match in the new code stored into. */
  private Set<String> goneStores(Alignment al) {
    Set<String> out = new TreeSet<>();
    for (int i = 0; i < al.a().size(); i++) {
      if (al.match()[i] < 0
          && al.a().get(i) instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.PUTFIELD
          && f.owner.equals(post.name)) {
        out.add(f.name);
      }
    }
    return out;
  }

  /**
   * When a constructor differs only in the arguments it passes to another constructor of its class
   * ({@code this(...)}), and computing them stores nothing, branches nowhere and hands the object
   * to nothing: the fields that constructor may set from its parameters, with those the rest of the
   * changed constructor touches. Null when the method is not of that shape or the flow cannot be
   * followed.
   */
  private Set<String> throughDelegation(Alignment al) {
    MethodNode old = al.old();
    MethodNode now = al.now();
    int dOld = delegation(old);
    int dNew = delegation(now);
    if (!now.name.equals("<init>") || dOld < 0 || dNew < 0) {
      return null;
    }
    for (int i = 0; i < al.a().size(); i++) {
      int at = old.instructions.indexOf(al.a().get(i));
      int m = al.match()[i];
      if (at == dOld && (m < 0 || now.instructions.indexOf(al.b().get(m)) != dNew)) {
        return null; // the call itself changed
      }
      if (m < 0 && at > dOld && !(al.a().get(i) instanceof LabelNode)) {
        return null;
      }
    }
    boolean[] matchedNew = new boolean[al.b().size()];
    for (int m : al.match()) {
      if (m >= 0) {
        matchedNew[m] = true;
      }
    }
    for (int j = 0; j < al.b().size(); j++) {
      if (!matchedNew[j] && now.instructions.indexOf(al.b().get(j)) > dNew) {
        return null;
      }
    }
    if (!onlyComputesArguments(old, dOld) || !onlyComputesArguments(now, dNew)) {
      return null;
    }
    MethodInsnNode call = (MethodInsnNode) now.instructions.get(dNew);
    Frame<SourceValue>[] frames = frames(now);
    Frame<SourceValue> at = frames == null ? null : frames[dNew];
    int receiver =
        at == null
            ? -1
            : at.getStackSize() - org.objectweb.asm.Type.getArgumentTypes(call.desc).length - 1;
    if (receiver != 0 || !ParameterFlow.isSelf(at.getStack(receiver))) {
      return null; // not the object's own this(...) call, or values left beneath it
    }
    Set<String> fields = new ParameterFlow(post.name).fields(find(post, call.name + call.desc));
    if (fields == null) {
      return null;
    }
    Set<String> visited = new TreeSet<>(Set.of(call.name + call.desc, now.name + now.desc));
    fields.addAll(fieldsFrom(now, dNew + 1, visited));
    return fields;
  }

  /**
   * A constructor that only passes its parameters and constants on to another constructor of its
   * class ({@code this(a, b, null)}), with that constructor's body in place of the call: what it
   * runs, as a fixed release that does the work itself (the delegate gone) writes it. Each of the
   * delegate's parameters reads what was passed for it (the delegate never stores into one), its
   * other locals come after the constructor's own. The constructor unchanged when it is not of that
   * shape.
   */
  private MethodNode withDelegationInlined(MethodNode ctor) {
    List<AbstractInsnNode> code = new ArrayList<>();
    for (AbstractInsnNode insn : ctor.instructions) {
      if (insn.getOpcode() >= 0) {
        code.add(insn);
      }
    }
    int callAt = code.size() - 2;
    if (callAt < 1
        || !ctor.tryCatchBlocks.isEmpty()
        || !(code.get(0) instanceof VarInsnNode self && self.getOpcode() == Opcodes.ALOAD)
        || self.var != 0
        || code.get(callAt + 1).getOpcode() != Opcodes.RETURN
        || !(code.get(callAt) instanceof MethodInsnNode call)
        || call.getOpcode() != Opcodes.INVOKESPECIAL
        || !call.owner.equals(pre.name)
        || !call.name.equals("<init>")) {
      return ctor;
    }
    MethodNode callee = find(pre, call.name + call.desc);
    org.objectweb.asm.Type[] args = org.objectweb.asm.Type.getArgumentTypes(call.desc);
    if (callee == null || callee == ctor || args.length != callAt - 1) {
      return ctor;
    }
    Map<Integer, AbstractInsnNode> passed = new java.util.HashMap<>();
    int slot = 1;
    for (int i = 0; i < args.length; i++) {
      AbstractInsnNode push = code.get(1 + i);
      if (!pushesAValue(push)) {
        return ctor;
      }
      passed.put(slot, push);
      slot += args[i].getSize();
    }
    int calleeArgs = slot;
    int ctorArgs = org.objectweb.asm.Type.getArgumentsAndReturnSizes(ctor.desc) >> 2;
    Map<LabelNode, LabelNode> labels = new java.util.HashMap<>();
    for (AbstractInsnNode insn : callee.instructions) {
      if (insn instanceof LabelNode l) {
        labels.put(l, new LabelNode());
      }
      boolean store =
          insn instanceof VarInsnNode v
                  && v.getOpcode() >= Opcodes.ISTORE
                  && v.getOpcode() <= Opcodes.ASTORE
                  && v.var < calleeArgs
              || insn instanceof org.objectweb.asm.tree.IincInsnNode inc && inc.var < calleeArgs;
      if (store || insn.getOpcode() == Opcodes.RET) {
        return ctor;
      }
    }
    MethodNode out =
        new MethodNode(
            ctor.access,
            ctor.name,
            ctor.desc,
            ctor.signature,
            ctor.exceptions.toArray(String[]::new));
    for (AbstractInsnNode insn : callee.instructions) {
      if (insn.getOpcode() < 0 && !(insn instanceof LabelNode)) {
        continue; // line numbers and frames: not compared
      }
      if (insn instanceof VarInsnNode v && v.var > 0) {
        out.instructions.add(
            v.var < calleeArgs
                ? passed.get(v.var).clone(labels)
                : new VarInsnNode(v.getOpcode(), v.var - calleeArgs + ctorArgs));
      } else if (insn instanceof org.objectweb.asm.tree.IincInsnNode inc) {
        out.instructions.add(
            new org.objectweb.asm.tree.IincInsnNode(inc.var - calleeArgs + ctorArgs, inc.incr));
      } else {
        out.instructions.add(insn.clone(labels));
      }
    }
    for (TryCatchBlockNode t : callee.tryCatchBlocks) {
      out.tryCatchBlocks.add(
          new TryCatchBlockNode(
              labels.get(t.start), labels.get(t.end), labels.get(t.handler), t.type));
    }
    out.maxLocals = Math.max(ctorArgs, callee.maxLocals - calleeArgs + ctorArgs);
    out.maxStack = callee.maxStack;
    return out;
  }

  /**
   * A constructor that passes its own parameters, in order, and constants on to a constructor of
   * its class that takes those and more ({@code this(source, 0)}, jettison 1.5.4's {@code
   * JSONArray(Collection)}), with that constructor's body in place of the call, when the extra
   * parameters are <em>ghosts</em>: never stored, and read only to compute, from ghosts, constants
   * and arithmetic, the extra arguments of that constructor's own calls of itself ({@code new
   * Tree(child, depth + 1)}), which become calls of this constructor, or elsewhere. A ghost read
   * elsewhere becomes a read of a slot past every local of both versions, so it matches no old
   * instruction: what reads it is inserted code, which the comparison accepts only as a check (it
   * stores nothing and throws or falls through). The comparison then holds whatever values the
   * ghosts take, so each nested construction builds what the old constructor built there, or
   * throws, as the outer one does (by induction on the nesting of what the old code built). The
   * constructor unchanged when it is not of that shape.
   */
  private MethodNode withGhostParametersDropped(MethodNode now, MethodNode old) {
    if (!now.name.equals("<init>") || !now.tryCatchBlocks.isEmpty()) {
      return now;
    }
    List<AbstractInsnNode> code = new ArrayList<>();
    for (AbstractInsnNode insn : now.instructions) {
      if (insn.getOpcode() >= 0) {
        code.add(insn);
      }
    }
    org.objectweb.asm.Type[] own = org.objectweb.asm.Type.getArgumentTypes(now.desc);
    int callAt = code.size() - 2;
    if (callAt < 1 + own.length
        || !(code.get(callAt) instanceof MethodInsnNode call)
        || call.getOpcode() != Opcodes.INVOKESPECIAL
        || !call.owner.equals(post.name)
        || !call.name.equals("<init>")
        || code.get(callAt + 1).getOpcode() != Opcodes.RETURN
        || !(code.get(0) instanceof VarInsnNode self && self.getOpcode() == Opcodes.ALOAD)
        || self.var != 0) {
      return now;
    }
    org.objectweb.asm.Type[] args = org.objectweb.asm.Type.getArgumentTypes(call.desc);
    if (args.length != callAt - 1 || args.length <= own.length) {
      return now;
    }
    int slot = 1;
    for (int i = 0; i < args.length; i++) {
      AbstractInsnNode push = code.get(1 + i);
      boolean ownParameter =
          i < own.length
              && args[i].equals(own[i])
              && push instanceof VarInsnNode v
              && v.var == slot
              && v.getOpcode() == own[i].getOpcode(Opcodes.ILOAD);
      boolean constant =
          i >= own.length
              && push.getOpcode() >= Opcodes.ACONST_NULL
              && push.getOpcode() <= Opcodes.LDC;
      if (!ownParameter && !constant) {
        return now;
      }
      slot += i < own.length ? own[i].getSize() : 0;
    }
    MethodNode callee = find(post, call.name + call.desc);
    if (callee == null || !callee.tryCatchBlocks.isEmpty() || delegation(callee) >= 0) {
      return now;
    }
    int firstGhost = slot;
    int ghostSize = 0;
    for (int i = own.length; i < args.length; i++) {
      ghostSize += args[i].getSize();
    }
    int afterGhosts = firstGhost + ghostSize;
    int past = Math.max(old.maxLocals, callee.maxLocals) + 2;
    java.util.Set<AbstractInsnNode> dropped =
        java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (AbstractInsnNode insn : callee.instructions) {
      boolean ghostStore =
          insn instanceof VarInsnNode v
                  && v.var >= firstGhost
                  && v.var < afterGhosts
                  && (v.getOpcode() >= Opcodes.ISTORE && v.getOpcode() <= Opcodes.ASTORE)
              || insn instanceof org.objectweb.asm.tree.IincInsnNode inc
                  && inc.var >= firstGhost
                  && inc.var < afterGhosts;
      if (ghostStore || insn.getOpcode() == Opcodes.RET) {
        return now;
      }
      if (insn instanceof MethodInsnNode m
          && m.getOpcode() == Opcodes.INVOKESPECIAL
          && m.owner.equals(post.name)
          && (m.name + m.desc).equals(call.name + call.desc)) {
        List<AbstractInsnNode> ghostArguments =
            ghostArguments(m, args.length - own.length, firstGhost, afterGhosts);
        if (ghostArguments == null) {
          return now;
        }
        dropped.addAll(ghostArguments);
      }
    }
    MethodNode out =
        new MethodNode(
            now.access, now.name, now.desc, now.signature, now.exceptions.toArray(String[]::new));
    Map<LabelNode, LabelNode> labels = new java.util.HashMap<>();
    for (AbstractInsnNode insn : callee.instructions) {
      if (insn instanceof LabelNode l) {
        labels.put(l, new LabelNode());
      }
    }
    for (AbstractInsnNode insn : callee.instructions) {
      if (dropped.contains(insn) || insn.getOpcode() < 0 && !(insn instanceof LabelNode)) {
        continue; // a ghost argument, line numbers and frames
      }
      if (insn instanceof VarInsnNode v && v.var >= firstGhost) {
        int to = v.var < afterGhosts ? past + v.var - firstGhost : v.var - ghostSize;
        out.instructions.add(new VarInsnNode(v.getOpcode(), to));
      } else if (insn instanceof org.objectweb.asm.tree.IincInsnNode inc && inc.var >= firstGhost) {
        out.instructions.add(
            new org.objectweb.asm.tree.IincInsnNode(inc.var - ghostSize, inc.incr));
      } else if (insn instanceof MethodInsnNode m
          && m.getOpcode() == Opcodes.INVOKESPECIAL
          && m.owner.equals(post.name)
          && (m.name + m.desc).equals(call.name + call.desc)) {
        out.instructions.add(new MethodInsnNode(m.getOpcode(), m.owner, m.name, now.desc, false));
      } else {
        out.instructions.add(insn.clone(labels));
      }
    }
    out.maxLocals = past + ghostSize;
    out.maxStack = callee.maxStack;
    return out;
  }

  /**
   * The instructions just before {@code call} that compute its last {@code count} arguments from
   * ghosts (slots {@code [firstGhost, afterGhosts)}), constants and arithmetic alone, or null when
   * they are computed otherwise.
   */
  private static List<AbstractInsnNode> ghostArguments(
      MethodInsnNode call, int count, int firstGhost, int afterGhosts) {
    List<AbstractInsnNode> out = new ArrayList<>();
    int needed = count;
    for (AbstractInsnNode insn = call.getPrevious(); needed > 0; insn = insn.getPrevious()) {
      if (insn == null || insn instanceof LabelNode) {
        return null;
      }
      int op = insn.getOpcode();
      if (op < 0) {
        continue; // a line number or a frame
      }
      if (insn instanceof VarInsnNode v
          && v.var >= firstGhost
          && v.var < afterGhosts
          && op >= Opcodes.ILOAD
          && op <= Opcodes.DLOAD) {
        needed--;
      } else if (op >= Opcodes.ICONST_M1 && op <= Opcodes.SIPUSH
          || insn instanceof org.objectweb.asm.tree.LdcInsnNode ldc && ldc.cst instanceof Number) {
        needed--;
      } else if (op >= Opcodes.IADD && op <= Opcodes.DREM
          || op >= Opcodes.ISHL && op <= Opcodes.LXOR) {
        needed++; // two values in, one out
      } else if (!(op >= Opcodes.INEG && op <= Opcodes.DNEG
          || op >= Opcodes.I2L && op <= Opcodes.I2S)) {
        return null;
      }
      out.add(insn);
    }
    return out;
  }

  /** A constant, or a parameter or local read: a value passed on that nothing computes. */
  private static boolean pushesAValue(AbstractInsnNode insn) {
    int op = insn.getOpcode();
    return op >= Opcodes.ACONST_NULL && op <= Opcodes.LDC
        || insn instanceof VarInsnNode && op >= Opcodes.ILOAD && op <= Opcodes.ALOAD;
  }

  /**
   * The old instructions without its stores of a constant or a local into a private field of the
   * object that the fixed release removed ({@code this.parent = parent}): no code of the fixed
   * release reads that field, so what the old code stored there changes nothing it does.
   */
  private List<AbstractInsnNode> withoutRemovedFieldStores(List<AbstractInsnNode> a) {
    Set<String> kept = new java.util.HashSet<>();
    post.fields.forEach(f -> kept.add(f.name));
    Set<String> privates = new java.util.HashSet<>();
    pre.fields.stream()
        .filter(f -> (f.access & Opcodes.ACC_PRIVATE) != 0 && (f.access & Opcodes.ACC_STATIC) == 0)
        .forEach(f -> privates.add(f.name));
    List<AbstractInsnNode> out = new ArrayList<>(a);
    for (int k = out.size() - 1; k >= 2; k--) {
      if (out.get(k) instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.PUTFIELD
          && f.owner.equals(pre.name)
          && privates.contains(f.name)
          && !kept.contains(f.name)
          && pushesAValue(out.get(k - 1))
          && out.get(k - 2) instanceof VarInsnNode self
          && self.getOpcode() == Opcodes.ALOAD
          && self.var == 0) {
        out.subList(k - 2, k + 1).clear();
        k -= 2;
      }
    }
    return out;
  }

  /** The index of the constructor's {@code this(...)} call, or -1. */
  private int delegation(MethodNode method) {
    for (int k = 0; k < method.instructions.size(); k++) {
      if (method.instructions.get(k) instanceof MethodInsnNode m
          && m.getOpcode() == Opcodes.INVOKESPECIAL
          && m.name.equals("<init>")
          && (m.owner.equals(post.name) || m.owner.equals(post.superName))) {
        return m.owner.equals(post.name) ? k : -1; // this(...), not super(...)
      }
    }
    return -1;
  }

  private String delegationKey(MethodNode method) {
    MethodInsnNode m = (MethodInsnNode) method.instructions.get(delegation(method));
    return m.name + m.desc;
  }

  /**
   * Whether the code before instruction {@code end} only computes values: no store, branch or
   * monitor, and the object itself loaded once (the receiver of the call at {@code end}).
   */
  private static boolean onlyComputesArguments(MethodNode method, int end) {
    int self = 0;
    for (int k = 0; k < end; k++) {
      AbstractInsnNode insn = method.instructions.get(k);
      int op = insn.getOpcode();
      if (op < 0) {
        continue;
      }
      if (!allowedInCheck(insn)
          || insn instanceof JumpInsnNode
          || op == Opcodes.ATHROW
          || insn instanceof TableSwitchInsnNode
          || insn instanceof LookupSwitchInsnNode) {
        return false;
      }
      if (insn instanceof VarInsnNode v && v.getOpcode() == Opcodes.ALOAD && v.var == 0) {
        self++;
      }
    }
    return self == 1;
  }

  /** Where in the new code the old instruction {@code i}, which the new code lacks, was. */
  private static int firstDifference(List<AbstractInsnNode> a, int[] match, int i) {
    for (int k = i; k < a.size(); k++) {
      if (match[k] >= 0) {
        return match[k];
      }
    }
    return Integer.MAX_VALUE;
  }

  /**
   * Why the inserted instructions {@code b[from, to)} are no mere check (see the class comment), or
   * null when they are one. The instruction at {@code to} (or the method's end) is where the old
   * code continues.
   */
  private String check(
      MethodNode now, List<AbstractInsnNode> b, int from, int to, Frame<SourceValue>[] frames) {
    InsnList insns = now.instructions;
    int start = insns.indexOf(b.get(from));
    int resume = to < b.size() ? insns.indexOf(b.get(to)) : insns.size();
    for (TryCatchBlockNode t : now.tryCatchBlocks) {
      if (insns.indexOf(t.start) <= start && start < insns.indexOf(t.end)) {
        return "it runs inside a try block";
      }
    }
    Frame<SourceValue> entry = frames[start];
    if (entry == null) {
      return null; // unreachable code changes nothing
    }
    int height = entry.getStackSize();
    CompletingCode paths = CompletingCode.of(now, start, resume, resume);
    for (int k = start; k < resume; k++) {
      AbstractInsnNode insn = insns.get(k);
      Frame<SourceValue> f = frames[k];
      if (f != null && f.getStackSize() < height) {
        return "it changes a value the old code goes on with";
      }
      if (!allowedInCheck(insn)) {
        return "it stores, returns or branches where the old code did not";
      }
      if (insn instanceof JumpInsnNode jump) {
        int target = insns.indexOf(jump.label);
        if (target < start || target > resume) {
          return "it skips or repeats code the old version ran";
        }
      }
      if (!paths.completes(insn)) {
        continue; // the check's failure: building its exception, which leaves the constructor
      }
      if (insn instanceof VarInsnNode v
          && v.var == 0
          && (now.access & Opcodes.ACC_STATIC) == 0
          && !(next(insn) instanceof FieldInsnNode g && g.getOpcode() == Opcodes.GETFIELD)) {
        return "it passes the object being built on"; // only reading its fields is a check
      }
      if (insn instanceof MethodInsnNode || insn instanceof InvokeDynamicInsnNode) {
        java.util.Optional<String> effect = pure.checkCompleting(post.name, insn);
        if (effect.isPresent()) {
          return "its new code " + effect.get();
        }
        if (insn instanceof MethodInsnNode call
            && f != null
            && !leavesOperands(call, f, insns, start, resume)) {
          return "its new code hands an object the program holds to "
              + LivePlanner.dotted(call.owner)
              + "."
              + call.name;
        }
      }
    }
    Frame<SourceValue> after = resume < frames.length ? frames[resume] : null;
    if (after == null) {
      return null; // the block never falls through: it only throws
    }
    if (after.getStackSize() != height) {
      return "it changes a value the old code goes on with";
    }
    for (int slot = 0; slot < height; slot++) {
      for (AbstractInsnNode producer : after.getStack(slot).insns) {
        int at = insns.indexOf(producer);
        if (at >= start && at < resume) {
          return "it changes a value the old code goes on with";
        }
      }
    }
    return null;
  }

  /** JDK methods that only read the object they are called on and the objects they are given. */
  private static final Set<String> READING =
      Set.of(
          "contains",
          "containsKey",
          "containsValue",
          "get",
          "getOrDefault",
          "size",
          "isEmpty",
          "equals",
          "hashCode",
          "toString",
          "length",
          "charAt",
          "startsWith",
          "endsWith",
          "indexOf",
          "lastIndexOf",
          "matches",
          "compareTo",
          "getClass",
          "isInstance",
          "getName");

  /** Immutable types: a call given one of these cannot change it. */
  private static final Set<String> IMMUTABLE =
      Set.of(
          "java/lang/String",
          "java/lang/Integer",
          "java/lang/Long",
          "java/lang/Short",
          "java/lang/Byte",
          "java/lang/Boolean",
          "java/lang/Character",
          "java/lang/Double",
          "java/lang/Float",
          "java/lang/Class");

  /**
   * Whether a call in a check leaves every object it is given as it was: a JDK method that only
   * reads, a library method that writes nothing of what it is given but memos (a cached hash code:
   * {@link MemoWrites}), or each reference it gets is of an immutable type or built in the check
   * itself (an exception and its message). The side effect check lets library and collection code
   * change the objects it is given; a check must not change what the object being built holds.
   */
  private boolean leavesOperands(
      MethodInsnNode call, Frame<SourceValue> f, InsnList insns, int start, int resume) {
    boolean jdk = call.owner.startsWith("java/") || call.owner.startsWith("javax/");
    if (jdk && READING.contains(call.name)
        || !jdk && memos.onlyMemos(call.owner, call.name, call.desc)) {
      return true;
    }
    org.objectweb.asm.Type[] args = org.objectweb.asm.Type.getArgumentTypes(call.desc);
    boolean hasReceiver = call.getOpcode() != Opcodes.INVOKESTATIC;
    int n = args.length + (hasReceiver ? 1 : 0);
    for (int i = 0; i < n; i++) {
      org.objectweb.asm.Type type =
          hasReceiver && i == 0
              ? org.objectweb.asm.Type.getObjectType(call.owner)
              : args[i - (hasReceiver ? 1 : 0)];
      if (type.getSort() != org.objectweb.asm.Type.OBJECT
              && type.getSort() != org.objectweb.asm.Type.ARRAY
          || IMMUTABLE.contains(type.getInternalName())) {
        continue;
      }
      for (AbstractInsnNode p : f.getStack(f.getStackSize() - n + i).insns) {
        int at = insns.indexOf(p);
        boolean fresh =
            at >= start
                && at < resume
                && (p.getOpcode() == Opcodes.NEW
                    || p.getOpcode() == Opcodes.DUP
                    || p instanceof MethodInsnNode m && m.owner.equals("java/lang/StringBuilder"));
        if (!fresh) {
          return false;
        }
      }
    }
    return true;
  }

  private static AbstractInsnNode next(AbstractInsnNode insn) {
    AbstractInsnNode n = insn.getNext();
    while (n != null && n.getOpcode() < 0) {
      n = n.getNext();
    }
    return n;
  }

  /** Instructions a check may hold: loads, constants, arithmetic, tests, jumps, throws, calls. */
  private static boolean allowedInCheck(AbstractInsnNode insn) {
    int op = insn.getOpcode();
    if (op < 0) {
      return true; // labels, line numbers, frames
    }
    if (op >= Opcodes.ISTORE && op <= Opcodes.SASTORE || op == Opcodes.IINC) {
      return false; // locals and array elements
    }
    return switch (op) {
      case Opcodes.PUTFIELD,
          Opcodes.PUTSTATIC,
          Opcodes.SWAP,
          Opcodes.DUP_X1,
          Opcodes.DUP_X2,
          Opcodes.DUP2_X1,
          Opcodes.DUP2_X2,
          Opcodes.MONITORENTER,
          Opcodes.MONITOREXIT,
          Opcodes.JSR,
          Opcodes.RET,
          Opcodes.TABLESWITCH,
          Opcodes.LOOKUPSWITCH,
          Opcodes.IRETURN,
          Opcodes.LRETURN,
          Opcodes.FRETURN,
          Opcodes.DRETURN,
          Opcodes.ARETURN,
          Opcodes.RETURN ->
          false;
      default -> true;
    };
  }

  /**
   * The object's fields the method sets or reads from instruction {@code from} on, with those of
   * its own class's methods it calls there (a delegated constructor included). Reading counts: a
   * field read may be a collection the code then adds to.
   */
  private Set<String> fieldsFrom(MethodNode method, int from, Set<String> visited) {
    Set<String> out = new TreeSet<>();
    if (method == null || !visited.add(method.name + method.desc)) {
      return out;
    }
    for (int k = Math.max(0, from); k < method.instructions.size(); k++) {
      AbstractInsnNode insn = method.instructions.get(k);
      if (insn instanceof FieldInsnNode f
          && f.owner.equals(post.name)
          && (f.getOpcode() == Opcodes.PUTFIELD || f.getOpcode() == Opcodes.GETFIELD)) {
        out.add(f.name);
      } else if (insn instanceof MethodInsnNode m) {
        if (m.owner.equals(post.name)) {
          out.addAll(fieldsFrom(find(post, m.name + m.desc), 0, visited));
        } else if (m.name.equals("<init>")
            && m.getOpcode() == Opcodes.INVOKESPECIAL
            && m.owner.equals(post.superName)
            && !m.owner.equals("java/lang/Object")
            && method.name.equals("<init>")) {
          out.add("(what the superclass " + LivePlanner.dotted(m.owner) + " sets up)");
        }
      }
    }
    return out;
  }

  /** The fields from {@code from} on, or a note saying that none was found. */
  private Set<String> fieldsOrNote(MethodNode method, int from) {
    Set<String> out = fieldsFrom(method, from, new TreeSet<>());
    if (out.isEmpty()) {
      out.add("(state outside its own fields)");
    }
    return out;
  }

  /** Whether a jump at or after {@code from} goes back before it: a loop over the difference. */
  private static boolean loopsBackOver(MethodNode method, int from) {
    InsnList insns = method.instructions;
    for (int k = from; k < insns.size(); k++) {
      for (LabelNode target : targets(insns.get(k))) {
        if (insns.indexOf(target) <= from) {
          return true;
        }
      }
    }
    return false;
  }

  static List<LabelNode> targets(AbstractInsnNode insn) {
    if (insn instanceof JumpInsnNode j) {
      return List.of(j.label);
    }
    List<LabelNode> out = new ArrayList<>();
    if (insn instanceof TableSwitchInsnNode t) {
      out.add(t.dflt);
      out.addAll(t.labels);
    } else if (insn instanceof LookupSwitchInsnNode l) {
      out.add(l.dflt);
      out.addAll(l.labels);
    }
    return out;
  }

  /** The instructions compared: every one but line numbers and frames, labels included. */
  private static List<AbstractInsnNode> tokens(MethodNode method) {
    List<AbstractInsnNode> out = new ArrayList<>();
    for (AbstractInsnNode insn : method.instructions) {
      if (insn.getOpcode() >= 0 || insn instanceof LabelNode) {
        out.add(insn);
      }
    }
    return out;
  }

  /** An instruction as text with its jump targets left out (they are checked after alignment). */
  private static String text(AbstractInsnNode insn) {
    StringBuilder out = new StringBuilder();
    new InstructionText().append(insn, out);
    return out.toString().replaceAll("L\\d+", "L");
  }

  /**
   * A longest common subsequence of the two instruction lists: for each old instruction, the index
   * of the new one it matches, or -1. Null when the methods are too large to compare. Constants
   * that only a logging call takes, or that lie on a failure path ({@link InertConstants}), match
   * whatever their value: what is logged or thrown is not what a built object holds.
   */
  private static int[] align(
      List<AbstractInsnNode> a,
      List<AbstractInsnNode> b,
      Set<AbstractInsnNode> loggedA,
      Set<AbstractInsnNode> loggedB) {
    if (a.size() > MAX_TOKENS || b.size() > MAX_TOKENS) {
      return null;
    }
    String[] x = a.stream().map(i -> loggedA.contains(i) ? INERT : text(i)).toArray(String[]::new);
    String[] y = b.stream().map(i -> loggedB.contains(i) ? INERT : text(i)).toArray(String[]::new);
    int[][] lcs = new int[x.length + 1][y.length + 1];
    for (int i = x.length - 1; i >= 0; i--) {
      for (int j = y.length - 1; j >= 0; j--) {
        lcs[i][j] =
            x[i].equals(y[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    int[] match = new int[x.length];
    java.util.Arrays.fill(match, -1);
    int i = 0;
    int j = 0;
    while (i < x.length && j < y.length) {
      if (x[i].equals(y[j])) {
        match[i++] = j++;
      } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
        i++;
      } else {
        j++;
      }
    }
    return match;
  }

  /**
   * Whether matched jumps, switches and exception handlers go to matched places: then the old code
   * runs in the new one in the same order, apart from what was inserted.
   */
  private static boolean consistent(
      MethodNode old, MethodNode now, List<AbstractInsnNode> a, List<AbstractInsnNode> b, int[] m) {
    Map<AbstractInsnNode, Integer> newIndex = new IdentityHashMap<>();
    for (int j = 0; j < b.size(); j++) {
      newIndex.put(b.get(j), j);
    }
    Map<AbstractInsnNode, Integer> oldIndex = new IdentityHashMap<>();
    for (int i = 0; i < a.size(); i++) {
      oldIndex.put(a.get(i), i);
    }
    for (int i = 0; i < a.size(); i++) {
      if (m[i] < 0) {
        continue;
      }
      List<LabelNode> from = targets(a.get(i));
      List<LabelNode> to = targets(b.get(m[i]));
      if (from.size() != to.size()) {
        return false;
      }
      for (int k = 0; k < from.size(); k++) {
        if (!sameLabel(from.get(k), to.get(k), oldIndex, newIndex, m)) {
          return false;
        }
      }
    }
    if (old.tryCatchBlocks.size() != now.tryCatchBlocks.size()) {
      return false;
    }
    for (int k = 0; k < old.tryCatchBlocks.size(); k++) {
      TryCatchBlockNode x = old.tryCatchBlocks.get(k);
      TryCatchBlockNode y = now.tryCatchBlocks.get(k);
      if (!java.util.Objects.equals(x.type, y.type)
          || !sameLabel(x.start, y.start, oldIndex, newIndex, m)
          || !sameLabel(x.end, y.end, oldIndex, newIndex, m)
          || !sameLabel(x.handler, y.handler, oldIndex, newIndex, m)) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameLabel(
      LabelNode x,
      LabelNode y,
      Map<AbstractInsnNode, Integer> oldIndex,
      Map<AbstractInsnNode, Integer> newIndex,
      int[] m) {
    Integer i = oldIndex.get(x);
    Integer j = newIndex.get(y);
    return i != null && j != null && m[i] == j;
  }

  @SuppressWarnings("unchecked")
  private Frame<SourceValue>[] frames(MethodNode method) {
    try {
      return new Analyzer<>(new SourceInterpreter()).analyze(post.name, method);
    } catch (AnalyzerException e) {
      return null; // judged as changed
    }
  }

  private static MethodNode find(ClassNode node, String key) {
    for (MethodNode m : node.methods) {
      if ((m.name + m.desc).equals(key)) {
        return m;
      }
    }
    return null;
  }
}
