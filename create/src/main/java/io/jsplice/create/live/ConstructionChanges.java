package io.jsplice.create.live;

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
 * call only code that only computes ({@link SideEffectCheck}), never pass the object being built to
 * anything, are not inside a try block, leave the operand stack as they found it, and either throw
 * or fall through to where the old code continues. An object the new code completes then has the
 * field values the old code gave it; an object built before the update is one the new code would
 * have built the same way, or one it would have refused (the input that built it is gone, so that
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
   */
  record MethodChange(String method, Set<String> fields) {
    boolean neutral() {
      return fields.isEmpty();
    }
  }

  private static final int MAX_TOKENS = 4000;

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

  ConstructionChanges(ClassNode pre, ClassNode post, SideEffectCheck pure) {
    this.pre = pre;
    this.post = post;
    this.pure = pure;
  }

  /** Compares the old and new versions of a method both versions have ({@code name+desc}). */
  MethodChange compare(String key) {
    MethodNode old = find(pre, key);
    MethodNode now = find(post, key);
    if (old == null || now == null) {
      return new MethodChange(key, fieldsOrNote(now == null ? old : now, 0));
    }
    List<AbstractInsnNode> a = tokens(old);
    List<AbstractInsnNode> b = tokens(now);
    int[] match = align(a, b);
    if (match == null || !consistent(old, now, a, b, match)) {
      return new MethodChange(key, fieldsOrNote(now, 0));
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
        return changed(key, now, b, firstDifference(a, match, i)); // old code removed
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
      if (frames == null || !isCheck(now, b, j, end, frames)) {
        return changed(key, now, b, j);
      }
      j = end;
    }
    return new MethodChange(key, Set.of());
  }

  private MethodChange changed(String key, MethodNode now, List<AbstractInsnNode> b, int at) {
    int from = now.instructions.indexOf(at < b.size() ? b.get(at) : now.instructions.getLast());
    if (loopsBackOver(now, from)) {
      from = 0;
    }
    return new MethodChange(key, fieldsOrNote(now, from));
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
   * Whether the inserted instructions {@code b[from, to)} form a check: see the class comment. The
   * instruction at {@code to} (or the method's end) is where the old code continues.
   */
  private boolean isCheck(
      MethodNode now, List<AbstractInsnNode> b, int from, int to, Frame<SourceValue>[] frames) {
    InsnList insns = now.instructions;
    int start = insns.indexOf(b.get(from));
    int resume = to < b.size() ? insns.indexOf(b.get(to)) : insns.size();
    for (TryCatchBlockNode t : now.tryCatchBlocks) {
      if (insns.indexOf(t.start) <= start && start < insns.indexOf(t.end)) {
        return false;
      }
    }
    Frame<SourceValue> entry = frames[start];
    if (entry == null) {
      return true; // unreachable code changes nothing
    }
    int height = entry.getStackSize();
    for (int k = start; k < resume; k++) {
      AbstractInsnNode insn = insns.get(k);
      Frame<SourceValue> f = frames[k];
      if (f != null && f.getStackSize() < height) {
        return false; // it consumed a value the old code goes on with
      }
      if (!allowedInCheck(insn)) {
        return false;
      }
      if (insn instanceof JumpInsnNode jump) {
        int target = insns.indexOf(jump.label);
        if (target < start || target > resume) {
          return false;
        }
      }
      if (insn instanceof VarInsnNode v
          && v.var == 0
          && (now.access & Opcodes.ACC_STATIC) == 0
          && !(next(insn) instanceof FieldInsnNode g && g.getOpcode() == Opcodes.GETFIELD)) {
        return false; // the object itself goes somewhere: only reading its fields is a check
      }
      if ((insn instanceof MethodInsnNode || insn instanceof InvokeDynamicInsnNode)
          && pure.check(post.name, List.of(insn)).isPresent()) {
        return false;
      }
    }
    Frame<SourceValue> after = resume < frames.length ? frames[resume] : null;
    if (after == null) {
      return true; // the block never falls through: it only throws
    }
    if (after.getStackSize() != height) {
      return false;
    }
    for (int slot = 0; slot < height; slot++) {
      for (AbstractInsnNode producer : after.getStack(slot).insns) {
        int at = insns.indexOf(producer);
        if (at >= start && at < resume) {
          return false; // it replaced a value the old code goes on with
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
      out.add("(no field of its own: what it changes is elsewhere)");
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

  private static List<LabelNode> targets(AbstractInsnNode insn) {
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
   * of the new one it matches, or -1. Null when the methods are too large to compare.
   */
  private static int[] align(List<AbstractInsnNode> a, List<AbstractInsnNode> b) {
    if (a.size() > MAX_TOKENS || b.size() > MAX_TOKENS) {
      return null;
    }
    String[] x = a.stream().map(ConstructionChanges::text).toArray(String[]::new);
    String[] y = b.stream().map(ConstructionChanges::text).toArray(String[]::new);
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
