package io.jsplice.bench.fuzz;

import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Update;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.UpdateFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import jdk.security.jarsigner.JarSigner;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Makes mutant {@code i} of the valid update: the kind and every random choice come from {@code new
 * Random(seed, i)}, so a run is the same every time and a failing case can be made again alone.
 */
final class Mutants {
  private static final String INSTALL_GREETER = "install/lib/Greeter.class";
  private static final String INSTALL_LATER = "install/lib/Later.class";

  /** Kinds and their weights: file-level damage is cheap, re-signed faults cost a signature. */
  private static final Map<MutantKind, Integer> WEIGHTS = new LinkedHashMap<>();

  static {
    WEIGHTS.put(MutantKind.NOT_A_ZIP, 4);
    WEIGHTS.put(MutantKind.TRUNCATED, 8);
    WEIGHTS.put(MutantKind.BIT_FLIPS, 14);
    WEIGHTS.put(MutantKind.OVERWRITTEN_RUN, 6);
    WEIGHTS.put(MutantKind.DELETED_ENTRY, 8);
    WEIGHTS.put(MutantKind.ADDED_ENTRY, 6);
    WEIGHTS.put(MutantKind.UNSIGNED, 3);
    WEIGHTS.put(MutantKind.OTHER_KEY, 3);
    WEIGHTS.put(MutantKind.RESIGNED_GARBAGE_CLASS, 6);
    WEIGHTS.put(MutantKind.RESIGNED_TRUNCATED_CLASS, 4);
    WEIGHTS.put(MutantKind.RESIGNED_WRONG_CLASS_NAME, 4);
    WEIGHTS.put(MutantKind.RESIGNED_MISSING_CLASS, 3);
    WEIGHTS.put(MutantKind.RESIGNED_HUGE_CONSTANT_POOL, 2);
    WEIGHTS.put(MutantKind.RESIGNED_VERIFY_FAIL_LOADED, 5);
    WEIGHTS.put(MutantKind.RESIGNED_VERIFY_FAIL_UNLOADED, 3);
    WEIGHTS.put(MutantKind.RESIGNED_VERIFY_FAIL_ADDED, 4);
    WEIGHTS.put(MutantKind.RESIGNED_BROKEN_DESCRIPTOR, 4);
    WEIGHTS.put(MutantKind.RESIGNED_WRONG_PRE_FINGERPRINT, 3);
    WEIGHTS.put(MutantKind.COMPRESSED_BOMB, 4);
    WEIGHTS.put(MutantKind.LYING_BOMB, 3);
    WEIGHTS.put(MutantKind.HUGE_BOMB, 1);
  }

  private static final Set<Integer> CORRUPT = Set.of(13);
  private static final Set<Integer> DAMAGED = Set.of(10, 11, 12, 13);

  private final FuzzLibrary library;
  private final long seed;
  private final Path work;
  private final int hugeGib;
  private final int totalWeight = WEIGHTS.values().stream().mapToInt(Integer::intValue).sum();

  /**
   * @param hugeGib how many GiB of zeros the huge bomb inflates to (its file has about 1 MB each)
   */
  Mutants(FuzzLibrary library, long seed, Path work, int hugeGib) {
    this.library = library;
    this.seed = seed;
    this.work = work;
    this.hugeGib = hugeGib;
  }

  Mutant make(int index) throws Exception {
    Random random = random(index);
    return make(index, pick(random), random);
  }

  /** Mutant {@code index} of the given kind, whatever the weights would pick. */
  Mutant make(int index, MutantKind kind) throws Exception {
    Random random = random(index);
    pick(random);
    return make(index, kind, random);
  }

  /**
   * The random numbers of case {@code index}: seeded by a 64-bit mix of the run's seed and the
   * index, since {@link Random}s of consecutive seeds start alike.
   */
  private Random random(int index) {
    long z = seed * 0x9E3779B97F4A7C15L + index;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return new Random(z ^ (z >>> 31));
  }

  private Mutant make(int index, MutantKind kind, Random random) throws Exception {
    byte[] valid = library.signed;
    return switch (kind) {
      case NOT_A_ZIP -> mutant(index, kind, notAZip(random), CORRUPT);
      case TRUNCATED ->
          mutant(index, kind, Arrays.copyOf(valid, random.nextInt(valid.length)), CORRUPT);
      case BIT_FLIPS -> new Mutant(index, kind, flips(valid, random), DAMAGED, true, false);
      case OVERWRITTEN_RUN ->
          new Mutant(index, kind, overwritten(valid, random), DAMAGED, true, false);
      case DELETED_ENTRY -> mutant(index, kind, deleted(valid, random), DAMAGED);
      case ADDED_ENTRY -> mutant(index, kind, added(valid, random), DAMAGED);
      case UNSIGNED -> mutant(index, kind, UpdateFile.unsignedJar(library.update), Set.of(10));
      case OTHER_KEY ->
          mutant(index, kind, library.sign(library.update, library.otherKey), Set.of(12));
      case RESIGNED_GARBAGE_CLASS ->
          resigned(index, kind, withFile(anyClass(random), garbage(random)));
      case RESIGNED_TRUNCATED_CLASS -> {
        String path = anyClass(random);
        byte[] bytes = library.update.files().get(path);
        yield resigned(
            index, kind, withFile(path, Arrays.copyOf(bytes, random.nextInt(bytes.length))));
      }
      case RESIGNED_WRONG_CLASS_NAME -> {
        Map<String, byte[]> files = new TreeMap<>(library.update.files());
        files.put(INSTALL_GREETER, files.get(INSTALL_LATER));
        yield resigned(index, kind, files);
      }
      case RESIGNED_MISSING_CLASS -> {
        Map<String, byte[]> files = new TreeMap<>(library.update.files());
        files.remove(random.nextBoolean() ? INSTALL_GREETER : INSTALL_LATER);
        yield resigned(index, kind, files);
      }
      case RESIGNED_HUGE_CONSTANT_POOL ->
          resigned(
              index,
              kind,
              withFile(INSTALL_GREETER, hugePool(library.update.files().get(INSTALL_GREETER))));
      case RESIGNED_VERIFY_FAIL_LOADED ->
          resigned(
              index,
              kind,
              withFile(INSTALL_GREETER, returningAnInt(INSTALL_GREETER, "greet")),
              Set.of(33),
              false);
      case RESIGNED_VERIFY_FAIL_UNLOADED ->
          resigned(
              index,
              kind,
              withFile(INSTALL_LATER, returningAnInt(INSTALL_LATER, "answer")),
              Set.of(33),
              true);
      case RESIGNED_VERIFY_FAIL_ADDED -> {
        // 33 while its name is free; 32 once the genuine companion holds it (from an apply that
        // failed later): a class of that name with other bytes is never defined beside it.
        String companion = companionPath();
        yield resigned(
            index,
            kind,
            withFile(companion, returningAnInt(companion, "check")),
            Set.of(32, 33),
            false);
      }
      case RESIGNED_BROKEN_DESCRIPTOR -> mutant(index, kind, brokenDescriptor(random), CORRUPT);
      case RESIGNED_WRONG_PRE_FINGERPRINT ->
          new Mutant(
              index, kind, library.sign(wrongPre(random), library.key), Set.of(30), false, false);
      case COMPRESSED_BOMB -> mutant(index, kind, bomb(random, Bombs.GIB), CORRUPT);
      // Unsigned, foreign or trusted: refused as such, or as not covered by the signature, before
      // the bomb is inflated; or, when nothing else tells, once it inflates past what it declares.
      case LYING_BOMB -> mutant(index, kind, bomb(random, 1000), DAMAGED);
      case HUGE_BOMB -> mutant(index, kind, null, CORRUPT);
    };
  }

  /** The huge bomb, a file made once for the run (a mutant of kind HUGE_BOMB has no bytes). */
  Path hugeBomb() throws IOException {
    return Bombs.get()
        .hugeFile(work.resolve("huge-bomb-" + hugeGib + ".jsplice"), library.signed, hugeGib);
  }

  private MutantKind pick(Random random) {
    int r = random.nextInt(totalWeight);
    for (Map.Entry<MutantKind, Integer> e : WEIGHTS.entrySet()) {
      r -= e.getValue();
      if (r < 0) {
        return e.getKey();
      }
    }
    throw new IllegalStateException();
  }

  private static Mutant mutant(int index, MutantKind kind, byte[] bytes, Set<Integer> codes) {
    return new Mutant(index, kind, bytes, codes, false, false);
  }

  private Mutant resigned(int index, MutantKind kind, Map<String, byte[]> files)
      throws IOException {
    return resigned(index, kind, files, CORRUPT, false);
  }

  private Mutant resigned(
      int index, MutantKind kind, Map<String, byte[]> files, Set<Integer> codes, boolean unloaded)
      throws IOException {
    return new Mutant(
        index,
        kind,
        signZip(unsignedJar(library.update.update(), files), library.key),
        codes,
        false,
        unloaded);
  }

  private Map<String, byte[]> withFile(String path, byte[] bytes) {
    Map<String, byte[]> files = new TreeMap<>(library.update.files());
    files.put(path, bytes);
    return files;
  }

  private String anyClass(Random random) {
    List<String> paths = new ArrayList<>(library.update.files().keySet());
    return paths.get(random.nextInt(paths.size()));
  }

  private String companionPath() {
    return library.update.files().keySet().stream()
        .filter(p -> p.startsWith("install/") && p.contains("$$jsplice$"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the fuzz update adds no companion"));
  }

  private static byte[] notAZip(Random random) {
    return switch (random.nextInt(3)) {
      case 0 -> new byte[0];
      case 1 ->
          "this is not an update\n".repeat(1 + random.nextInt(50)).getBytes(StandardCharsets.UTF_8);
      default -> garbage(random);
    };
  }

  private static byte[] garbage(Random random) {
    byte[] bytes = new byte[1 + random.nextInt(4096)];
    random.nextBytes(bytes);
    if (random.nextBoolean() && bytes.length >= 4) {
      bytes[0] = (byte) 0xCA; // looks like a class file to the first check
      bytes[1] = (byte) 0xFE;
      bytes[2] = (byte) 0xBA;
      bytes[3] = (byte) 0xBE;
    }
    return bytes;
  }

  private static byte[] flips(byte[] valid, Random random) {
    byte[] out = valid.clone();
    int flips = 1 + random.nextInt(8);
    for (int i = 0; i < flips; i++) {
      int at = random.nextInt(out.length);
      out[at] ^= (byte) (1 << random.nextInt(8));
    }
    return out;
  }

  private static byte[] overwritten(byte[] valid, Random random) {
    byte[] out = valid.clone();
    int length = 1 + random.nextInt(64);
    int at = random.nextInt(Math.max(1, out.length - length));
    for (int i = at; i < Math.min(out.length, at + length); i++) {
      out[i] = (byte) random.nextInt(256);
    }
    return out;
  }

  /** The zip without one entry, every other entry copied as it is. */
  private static byte[] deleted(byte[] valid, Random random) throws IOException {
    List<String> names = names(valid);
    String gone = names.get(random.nextInt(names.size()));
    return copy(valid, name -> !name.equals(gone), null, null);
  }

  private static byte[] added(byte[] valid, Random random) throws IOException {
    String[] names = {
      "jsplice/install/lib/Evil.class",
      "jsplice/post/lib/Evil.class",
      "META-INF/evil.txt",
      "evil/Evil.class",
      "jsplice/update2.json"
    };
    byte[] bytes = new byte[1 + random.nextInt(512)];
    random.nextBytes(bytes);
    return copy(valid, name -> true, names[random.nextInt(names.length)], bytes);
  }

  private static List<String> names(byte[] zip) throws IOException {
    List<String> out = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.add(e.getName());
      }
    }
    return out;
  }

  private static byte[] copy(
      byte[] zip, java.util.function.Predicate<String> keep, String addName, byte[] addBytes)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
        ZipOutputStream zout = new ZipOutputStream(out)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        if (keep.test(e.getName())) {
          zout.putNextEntry(new ZipEntry(e.getName()));
          zout.write(bytes);
          zout.closeEntry();
        }
      }
      if (addName != null) {
        zout.putNextEntry(new ZipEntry(addName));
        zout.write(addBytes);
        zout.closeEntry();
      }
    }
    return out.toByteArray();
  }

  private byte[] returningAnInt(String path, String method) {
    ClassNode node = new ClassNode();
    new ClassReader(library.update.files().get(path)).accept(node, 0);
    MethodNode m =
        node.methods.stream().filter(n -> n.name.equals(method)).findFirst().orElseThrow();
    m.instructions.clear();
    m.tryCatchBlocks.clear();
    m.localVariables = null;
    m.instructions.add(new InsnNode(Opcodes.ICONST_1));
    m.instructions.add(new InsnNode(Opcodes.ARETURN));
    m.maxStack = 1;
    ClassWriter writer = new ClassWriter(0);
    node.accept(writer);
    return writer.toByteArray();
  }

  /** The class with unused UTF-8 constants added until its pool holds 65,535 entries. */
  private static byte[] hugePool(byte[] classFile) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(writer, 0);
    for (int i = 0; reader.getItemCount() + i < 65534; i++) {
      writer.newUTF8("k" + i);
    }
    return writer.toByteArray();
  }

  /** The valid update signed anew with its descriptor damaged or replaced. */
  private byte[] brokenDescriptor(Random random) throws IOException {
    byte[] json =
        io.jsplice.model.json.Json.writePretty(
                io.jsplice.model.UpdateJson.encode(library.update.update()))
            .getBytes(StandardCharsets.UTF_8);
    byte[] broken =
        switch (random.nextInt(4)) {
          case 0 -> Arrays.copyOf(json, random.nextInt(json.length));
          case 1 -> "[1, 2, 3]".getBytes(StandardCharsets.UTF_8);
          case 2 ->
              new String(json, StandardCharsets.UTF_8)
                  .replace("\"id\"", "\"identity\"")
                  .getBytes(StandardCharsets.UTF_8);
          default ->
              new String(json, StandardCharsets.UTF_8)
                  .replace(FuzzLibrary.UPDATE_ID, "fuzz\u001b[2Jfix")
                  .getBytes(StandardCharsets.UTF_8);
        };
    byte[] jar = unsignedJar(library.update.update(), library.update.files());
    byte[] replaced =
        copy(jar, name -> !name.equals(UpdateFile.DESCRIPTOR), UpdateFile.DESCRIPTOR, broken);
    return signZip(replaced, library.key);
  }

  private UpdatePackage wrongPre(Random random) {
    Update u = library.update.update();
    List<ClassUpdate> classes = new ArrayList<>();
    for (ClassUpdate c : u.classes()) {
      if (c.preFingerprint() != null && random.nextBoolean() || c.name().equals("lib.Greeter")) {
        char[] pre = c.preFingerprint().toCharArray();
        int at = random.nextInt(pre.length);
        pre[at] = pre[at] == '0' ? '1' : '0';
        classes.add(
            new ClassUpdate(
                c.name(),
                c.status(),
                new String(pre),
                c.postFingerprint(),
                c.changes(),
                c.applicability()));
      } else {
        classes.add(c);
      }
    }
    Update wrong =
        new Update(
            u.id(),
            u.description(),
            u.cves(),
            u.artifacts(),
            u.created(),
            u.requires(),
            classes,
            u.stateActions(),
            u.instanceActions(),
            u.hooks(),
            u.applicability(),
            u.tripwires());
    return new UpdatePackage(wrong, library.update.files());
  }

  /**
   * The valid update (unsigned, foreign or trusted) with a deflated bomb entry beside its files.
   */
  private byte[] bomb(Random random, long declared) throws IOException {
    byte[] base =
        switch (random.nextInt(3)) {
          case 0 -> UpdateFile.unsignedJar(library.update);
          case 1 -> library.sign(library.update, library.otherKey);
          default -> library.signed;
        };
    Bombs bombs = Bombs.get();
    return RawZip.storedCopyOf(base)
        .deflated(
            "jsplice/install/lib/Bomb.class",
            bombs.crcOfOneGib(),
            bombs.compressedSize(1),
            declared,
            out -> bombs.write(out, 1))
        .toByteArray();
  }

  private static byte[] unsignedJar(Update update, Map<String, byte[]> files) throws IOException {
    return UpdateFile.unsignedJar(new UpdatePackage(update, files));
  }

  /** Signs any zip with {@code key} as {@code jsplice sign} does, whatever it holds. */
  private byte[] signZip(byte[] zip, SigningKey key) throws IOException {
    Path unsigned = Files.createTempFile(work, "unsigned", ".zip");
    try {
      Files.write(unsigned, zip);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZipFile file = new ZipFile(unsigned.toFile());
          OutputStream sink = out) {
        new JarSigner.Builder(key.privateKey(), key.certificates())
            .digestAlgorithm("SHA-256")
            .signerName("JSPLICE")
            .build()
            .sign(file, sink);
      }
      return out.toByteArray();
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot sign with this key: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(unsigned);
    }
  }
}
