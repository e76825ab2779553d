package io.jsplice.agent.restart;

import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecord;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.model.signing.TrustedKeys;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the last start that ran the engine installed as the classes of the recorded updates loaded,
 * kept so that the next start can install the same bytes without starting the engine (kpatch's
 * way): for each load the engine checked and patched, the exact bytes it was handed, where the
 * class came from, and the exact bytes it installed. A later load is served only if the bytes it is
 * handed are those, byte for byte: no digest of them is taken at that start.
 *
 * <p>The whole cache is bound to what the engine's decisions rested on: each recorded update's id
 * and the SHA-256 of its file as read now (which must also be the one recorded), the digest of the
 * trust files, the agent (its version and its jar) and the JVM's version. Any difference, an update
 * the engine did not take, an update it could not serve exactly (added classes or companions,
 * hooks, code that links to the agent's bootstrap classes), a malformed index: the cache is ignored
 * as a whole and the engine starts, as without it. The bytes files are read at the first load that
 * needs each ({@link Kept}), not at the start: one whose SHA-256 is not its name then makes that
 * load, and every later one, fall back to the engine, as a load the cache does not hold does.
 *
 * <p>Kept in {@code STATE/SERVICE/reapply-cache/}, believed as {@link OwnerOnlyDirectory} says, as
 * the signature verdicts are: {@code index} and one {@code bytes-SHA256} file per class file it
 * keeps (handed or installed), holding those bytes as they are.
 *
 * <p>Hashing is most of what reading the cache costs at a start (the trust files, each recorded
 * file and each bytes file, in an interpreter that has no SHA-256 intrinsic yet: about 50 ms of CPU
 * for ten updates), so the index also keeps, for each file it hashed, the file's {@link
 * FileFingerprint} as it was when hashed ({@code file SHA256 FINGERPRINT PATH} lines, and {@code
 * trustfile FINGERPRINT PATH} lines, in order, for the trust files the header's digest is of). A
 * file whose fingerprint is still that one is taken to hold those bytes, trust files whose list and
 * fingerprints are still those to have that digest; any other is read and hashed as before, so a
 * changed recorded file, trust file or bytes file still makes the cache ignored. A start whose
 * files are all unchanged takes no SHA-256 at all.
 */
final class ReapplyCache {
  private static final String FORMAT = "jsplice reapply cache 3";
  static final String DIRECTORY = "reapply-cache";

  /**
   * One load the engine checked and patched.
   *
   * @param className internal name
   * @param handedSha256 SHA-256 of the bytes handed to the agent's transformer, which the cache
   *     keeps
   * @param updateId the update whose code was installed
   * @param installedSha256 SHA-256 of the bytes installed
   * @param origin where the class came from (loader and location), as the engine describes it
   */
  record Load(
      String className,
      String handedSha256,
      String updateId,
      String installedSha256,
      String origin) {}

  /**
   * What the cache is bound to; a cache written under another binding is ignored.
   *
   * @param header the agent, the JVM and the trust digest, one line each
   * @param updates per recorded update, in record order: {@code ID SHA256}
   * @param hashed per recorded file whose fingerprint held while it was hashed (or was the one an
   *     earlier start hashed): its path, then {@code SHA256 FINGERPRINT}
   * @param trustFiles the trust files the digest is of, in order: {@code FINGERPRINT PATH}; empty
   *     if their fingerprints did not hold while they were hashed
   */
  record Binding(
      List<String> header,
      List<String> updates,
      Map<String, String> hashed,
      List<String> trustFiles) {}

  /**
   * What an earlier start's index says of the files it hashed.
   *
   * @param hashed per path ({@code file} lines): {@code SHA256 FINGERPRINT}
   * @param trustFiles the {@code trustfile} lines, in order: {@code FINGERPRINT PATH}
   * @param trustDigest the digest of those trust files (the header's); null if none
   */
  record Earlier(Map<String, String> hashed, List<String> trustFiles, String trustDigest) {
    static final Earlier NONE = new Earlier(Map.of(), List.of(), null);
  }

  /**
   * A cache that holds for this start's binding: every recorded update is served. The bytes its
   * loads name are read as those loads need them ({@link Kept}).
   *
   * @param loads the loads, by internal class name
   * @param bytes the bytes handed and installed, by their SHA-256
   * @param hashed per bytes file, as {@link Binding#hashed}: what the index said of it
   */
  record Usable(Map<String, List<Load>> loads, Kept bytes, Map<String, String> hashed) {}

  /**
   * The bytes files of a cache that holds, each read at the first load that needs it rather than at
   * the start: a class never loaded costs nothing, and {@code premain} reads none. Each is believed
   * as at the start it was: its fingerprint the one the index holds, or its SHA-256 its name; a
   * file that is neither reads as absent, and the load falls back to the engine. Once read, the
   * bytes are kept: what a later load compares with and installs is what was verified. Thread-safe.
   */
  static final class Kept {
    private final OwnerOnlyDirectory directory;
    private final Map<String, String> earlier; // per bytes file, as Binding#hashed
    private final Set<String> listed; // the SHA-256s the index's loads name
    private final Map<String, byte[]> read = new ConcurrentHashMap<>();
    // Per bytes file read so far whose fingerprint held while it was read: as Binding#hashed.
    private final Map<String, String> believed = new ConcurrentHashMap<>();

    Kept(OwnerOnlyDirectory directory, Map<String, String> earlier, Set<String> listed) {
      this.directory = directory;
      this.earlier = earlier;
      this.listed = listed;
    }

    /** The bytes whose SHA-256 is {@code sha256}, verified; null if they cannot be. */
    byte[] get(String sha256) {
      if (!listed.contains(sha256)) {
        return null;
      }
      byte[] bytes = read.get(sha256);
      if (bytes == null) {
        bytes = readBytes(directory, sha256, earlier, believed);
        if (bytes == null) {
          return null;
        }
        byte[] first = read.putIfAbsent(sha256, bytes);
        bytes = first == null ? bytes : first;
      }
      return bytes;
    }

    /** Reads and verifies every bytes file the index's loads name, as the loads would. */
    void readAll() {
      for (String sha256 : listed) {
        get(sha256);
      }
    }

    /**
     * Per bytes file read so far and believed with a fingerprint that held while it was read: what
     * an index written now may say of it ({@code SHA256 FINGERPRINT}).
     */
    Map<String, String> believed() {
      return Map.copyOf(believed);
    }
  }

  private ReapplyCache() {}

  static OwnerOnlyDirectory directory(ServiceRecordStore store) {
    return new OwnerOnlyDirectory(store.directory().resolve(DIRECTORY));
  }

  /**
   * What the cache's index says of the files an earlier start hashed ({@code file} and {@code
   * trustfile} lines, and the header's trust digest). {@link Earlier#NONE} if there is no index of
   * this format. Never throws.
   */
  static Earlier earlier(OwnerOnlyDirectory directory) {
    return earlier(directory.read("index"));
  }

  /** As {@link #earlier(OwnerOnlyDirectory)}, of the index's text as read (null: none). */
  static Earlier earlier(String index) {
    try {
      if (index == null || !index.startsWith(FORMAT + "\n")) {
        return Earlier.NONE;
      }
      Map<String, String> hashed = new HashMap<>();
      List<String> trustFiles = new ArrayList<>();
      String trustDigest = null;
      for (String line : lines(index)) {
        if (line.startsWith("file ")) {
          String[] parts = line.split(" ", 4);
          if (parts.length == 4 && isSha256(parts[1])) {
            hashed.put(parts[3], parts[1] + " " + parts[2]);
          }
        } else if (line.startsWith("trustfile ")) {
          trustFiles.add(line.substring("trustfile ".length()));
        } else if (line.startsWith("trust ") && trustDigest == null) {
          trustDigest = line.substring("trust ".length());
        }
      }
      return new Earlier(
          hashed,
          List.copyOf(trustFiles),
          trustDigest != null && isSha256(trustDigest) ? trustDigest : null);
    } catch (RuntimeException corrupt) {
      return Earlier.NONE;
    }
  }

  /**
   * The binding of this start, or null when there is none to trust: a recorded file missing,
   * unreadable or not the one recorded, or unreadable trust files. Reads and hashes each recorded
   * file, unless {@code earlier} (from {@link #earlier}) has it with its current fingerprint; and
   * the trust files, unless {@code earlier} has them all, in the same order, with their current
   * fingerprints.
   */
  static Binding binding(
      ServiceRecordStore store, ServiceRecord record, List<Path> trust, Earlier earlier) {
    List<RecordAtStart.Entry> entries = new ArrayList<>(record.updates().size());
    for (RecordedUpdate entry : record.updates()) {
      entries.add(
          new RecordAtStart.Entry(entry.id(), entry.file(), entry.sha256(), entry.classes()));
    }
    return binding(store, entries, trust, earlier);
  }

  /** As {@link #binding(ServiceRecordStore, ServiceRecord, List, Earlier)}, of the entries. */
  static Binding binding(
      ServiceRecordStore store,
      List<RecordAtStart.Entry> entries,
      List<Path> trust,
      Earlier earlier) {
    List<Path> trustFiles;
    try {
      trustFiles = trust.isEmpty() ? null : TrustedKeys.certificateFiles(trust);
    } catch (IOException | RuntimeException e) {
      trustFiles = null;
    }
    if (trustFiles == null) {
      return null;
    }
    List<String> trustFingerprints = fingerprints(trustFiles);
    String trustDigest;
    if (trustFingerprints != null
        && !trustFingerprints.isEmpty()
        && trustFingerprints.equals(earlier.trustFiles())
        && earlier.trustDigest() != null) {
      trustDigest = earlier.trustDigest();
    } else {
      trustDigest = Verdicts.trustDigestOf(trustFiles);
      if (trustFingerprints != null && !trustFingerprints.equals(fingerprints(trustFiles))) {
        trustFingerprints = null; // written while they were read: hash them again next time
      }
    }
    if (trustDigest == null) {
      return null;
    }
    Map<String, String> hashed = earlier.hashed();
    List<String> updates = new ArrayList<>();
    Map<String, String> hashedNow = new LinkedHashMap<>();
    for (RecordAtStart.Entry entry : entries) {
      String sha256;
      Path file = store.directory().resolve(entry.file());
      String fingerprint = FileFingerprint.of(file);
      String before = hashed.get(file.toString());
      if (fingerprint != null
          && before != null
          && before.endsWith(" " + fingerprint)
          && isSha256(before.substring(0, before.indexOf(' ')))) {
        sha256 = before.substring(0, before.indexOf(' '));
      } else {
        try {
          sha256 = ServiceRecordStore.sha256(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
          return null;
        }
        if (fingerprint != null && !fingerprint.equals(FileFingerprint.of(file))) {
          fingerprint = null; // written while it was read: hash it again next time
        }
      }
      if (!sha256.equals(entry.sha256())) {
        return null;
      }
      if (fingerprint != null) {
        hashedNow.put(file.toString(), sha256 + " " + fingerprint);
      }
      updates.add(entry.id() + " " + sha256);
    }
    List<String> header =
        List.of(
            "agent " + agentIdentity(),
            // The property Runtime.version() is read from, without the streams its toString() runs.
            "java "
                + System.getProperty("java.runtime.version")
                + " "
                + System.getProperty("java.vm.name"),
            "trust " + trustDigest);
    return new Binding(
        header,
        List.copyOf(updates),
        hashedNow,
        trustFingerprints == null ? List.of() : List.copyOf(trustFingerprints));
  }

  /**
   * Each file's {@code FINGERPRINT PATH}, in order; null if one has no fingerprint or a path has a
   * line break.
   */
  private static List<String> fingerprints(List<Path> files) {
    List<String> out = new ArrayList<>(files.size());
    for (Path file : files) {
      String fingerprint = FileFingerprint.of(file);
      String path = file.toString();
      if (fingerprint == null || path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0) {
        return null;
      }
      out.add(fingerprint + " " + path);
    }
    return out;
  }

  /**
   * The agent's jar (path, size, modification time): a rebuilt agent of the same version may check
   * loads differently. Not the version of the package as its class loader defined it: the runtime's
   * loader gives it none, and asking for it costs premain a lambda class, spun at that moment.
   * Looked at once per JVM (premain asks twice: for the cache and for {@link RememberedRecord}):
   * the classes running are those loaded from the jar as it was then.
   */
  static String agentIdentity() {
    String known = agentIdentity;
    if (known == null) {
      known = readAgentIdentity();
      agentIdentity = known;
    }
    return known;
  }

  private static volatile String agentIdentity; // null until first asked

  private static String readAgentIdentity() {
    String jar = "?";
    try {
      CodeSource source = ReapplyCache.class.getProtectionDomain().getCodeSource();
      URL location = source == null ? null : source.getLocation();
      if (location != null && "file".equals(location.getProtocol())) {
        Path path = Path.of(location.toURI());
        jar = path + " " + Files.size(path) + " " + Files.getLastModifiedTime(path).toMillis();
      }
    } catch (Exception | LinkageError e) {
      jar = "?";
    }
    return jar;
  }

  /**
   * The cache, if it holds for {@code binding}: null if there is none, it is malformed, written
   * under another binding, any update is not marked served, or a bytes file (handed or installed)
   * is missing or not what its name says. Never throws.
   */
  static Usable read(OwnerOnlyDirectory directory, Binding binding) {
    return binding == null ? null : read(directory, directory.read("index"), binding);
  }

  /**
   * As {@link #read(OwnerOnlyDirectory, Binding)}, of the index's text as read (null: none), which
   * the start reads once for {@link #earlier(String)} and this.
   */
  static Usable read(OwnerOnlyDirectory directory, String index, Binding binding) {
    try {
      return parse(directory, index, binding);
    } catch (RuntimeException corrupt) {
      return null;
    }
  }

  /**
   * The cache that held at this start ({@link #read}), its index first brought up to date if this
   * start had to hash a recorded or trust file again: one whose fingerprint is not the one the
   * index holds (a state directory copied or restored, a recursive {@code chmod}: same content,
   * other inode or change time). Without the rewrite, every later start would hash them again, on
   * the main thread; the engine's {@link Writer} would rewrite the index, but a start the cache
   * serves never starts it.
   *
   * <p>A start that rewrites also reads and verifies every bytes file now ({@link Kept#readAll}),
   * as its loads would (they are then served from what was read), since the same copy changed their
   * fingerprints too; the new index says of each file only what this start verified, with the
   * fingerprint that held while it was read. Written atomically, owner-only, and only if the index
   * is still the one read at this start: another JVM that rewrote it meanwhile (the same refresh,
   * or its engine's writer) wrote at least as much. What a race between that check and the write
   * can lose is the other's lines, never a wrong one: each line is true of the files as this start
   * verified them, and a file changed later has another fingerprint. Never throws.
   *
   * @param index the index's text as read at this start
   * @param earlier what that index says of the files ({@link #earlier(String)})
   * @param binding this start's binding
   * @param usable what {@link #read} made of that index for {@code binding}
   * @return {@code usable}, with {@link Usable#hashed} as the index now says, if it rewrote it
   */
  static Usable refreshed(
      OwnerOnlyDirectory directory, String index, Earlier earlier, Binding binding, Usable usable) {
    try {
      if (!hashedAgain(earlier, binding)) {
        return usable;
      }
      usable.bytes().readAll();
      Map<String, String> believed = usable.bytes().believed();
      String text = withFiles(index, binding, believed);
      if (!text.equals(index) && index.equals(directory.read("index"))) {
        directory.write("index", text);
      }
      return new Usable(usable.loads(), usable.bytes(), believed);
    } catch (RuntimeException e) {
      return usable;
    }
  }

  /**
   * Whether the binding holds a recorded file's or the trust files' fingerprints other than those
   * {@code earlier} has: this start hashed them.
   */
  static boolean hashedAgain(Earlier earlier, Binding binding) {
    if (!binding.trustFiles().equals(earlier.trustFiles())) {
      return true;
    }
    for (Map.Entry<String, String> file : binding.hashed().entrySet()) {
      if (!file.getValue().equals(earlier.hashed().get(file.getKey()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code index} (one that holds for {@code binding}) with its {@code file} and {@code trustfile}
   * lines those of {@code binding} and {@code bytes}, its other lines as they are.
   */
  private static String withFiles(String index, Binding binding, Map<String, String> bytes) {
    List<String> lines = lines(index);
    int bound = 1 + binding.header().size() + binding.updates().size();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < bound; i++) {
      out.append(lines.get(i)).append('\n');
    }
    appendFiles(out, binding.hashed());
    appendFiles(out, bytes);
    for (String trustFile : binding.trustFiles()) {
      out.append("trustfile ").append(trustFile).append('\n');
    }
    for (int i = bound; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.startsWith("file ") && !line.startsWith("trustfile ")) {
        out.append(line).append('\n');
      }
    }
    return out.toString().strip();
  }

  /** A {@code file SHA256 FINGERPRINT PATH} line for each entry of {@code hashed}. */
  private static void appendFiles(StringBuilder out, Map<String, String> hashed) {
    for (Map.Entry<String, String> file : hashed.entrySet()) {
      String path = file.getKey();
      if (path.indexOf('\n') < 0 && path.indexOf('\r') < 0) {
        out.append("file ").append(file.getValue()).append(' ').append(path).append('\n');
      }
    }
  }

  private static Usable parse(OwnerOnlyDirectory directory, String index, Binding binding) {
    if (binding == null || index == null) {
      return null;
    }
    List<String> lines = lines(index);
    int at = 0;
    if (lines.isEmpty() || !lines.get(at++).equals(FORMAT)) {
      return null;
    }
    for (String expected : binding.header()) {
      if (at >= lines.size() || !lines.get(at++).equals(expected)) {
        return null;
      }
    }
    for (String update : binding.updates()) {
      if (at >= lines.size() || !lines.get(at++).equals("update " + update + " served")) {
        return null;
      }
    }
    Map<String, List<Load>> loads = new HashMap<>();
    Map<String, String> earlier = new HashMap<>();
    for (int i = at; i < lines.size(); i++) {
      String[] parts = lines.get(i).split(" ", 4);
      if (parts[0].equals("file") && parts.length == 4) {
        earlier.put(parts[3], parts[1] + " " + parts[2]);
      }
    }
    Set<String> listed = new HashSet<>();
    Map<String, String> hashed = new HashMap<>();
    for (; at < lines.size(); at++) {
      if (lines.get(at).startsWith("file ") || lines.get(at).startsWith("trustfile ")) {
        continue;
      }
      Load load = parseLoad(lines.get(at));
      if (load == null || !servedUpdate(binding, load.updateId())) {
        return null;
      }
      for (String sha256 : new String[] {load.handedSha256(), load.installedSha256()}) {
        if (listed.add(sha256)) {
          String name = "bytes-" + sha256;
          String before = earlier.get(name);
          if (before != null) {
            hashed.put(name, before); // checked when read, hashed if it changed
          }
        }
      }
      List<Load> ofClass = loads.get(load.className());
      if (ofClass == null) {
        ofClass = new ArrayList<>();
        loads.put(load.className(), ofClass);
      }
      ofClass.add(load);
    }
    return new Usable(
        Map.copyOf(loads),
        new Kept(directory, Map.copyOf(earlier), Set.copyOf(listed)),
        Map.copyOf(hashed));
  }

  private static boolean servedUpdate(Binding binding, String id) {
    for (String update : binding.updates()) {
      if (update.startsWith(id + " ")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The lines of {@code text}, as {@link String#lines} cuts them, without the streams it runs (in
   * {@code premain}, their classes are a cost of their own).
   */
  static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    int length = text.length();
    while (start < length) {
      int end = start;
      while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      lines.add(text.substring(start, end));
      if (end < length
          && text.charAt(end) == '\r'
          && end + 1 < length
          && text.charAt(end + 1) == '\n') {
        end++;
      }
      start = end + 1;
    }
    return lines;
  }

  private static Load parseLoad(String line) {
    String[] parts = line.split(" ", 6);
    if (parts.length != 6 || !parts[0].equals("load")) {
      return null;
    }
    if (!isSha256(parts[2]) || !isSha256(parts[4]) || parts[1].isEmpty()) {
      return null;
    }
    return new Load(parts[1], parts[2], parts[3], parts[4], parts[5]);
  }

  /**
   * The bytes of file {@code bytes-SHA256} if they are what its name says: hashed, unless {@code
   * earlier} has the file with its current fingerprint. Notes what it believed in {@code
   * hashedNow}.
   */
  private static byte[] readBytes(
      OwnerOnlyDirectory directory,
      String sha256,
      Map<String, String> earlier,
      Map<String, String> hashedNow) {
    String name = "bytes-" + sha256;
    OwnerOnlyDirectory.Read read = directory.readWithFingerprint(name);
    if (read == null) {
      return null;
    }
    String fingerprint = read.fingerprintBefore();
    byte[] bytes = read.bytes();
    // Once after the read: unchanged while it was read, or hashed (and hashed again next time).
    boolean heldStill = fingerprint != null && fingerprint.equals(directory.fingerprint(name));
    boolean unchanged = heldStill && (sha256 + " " + fingerprint).equals(earlier.get(name));
    if (!unchanged && !ServiceRecordStore.sha256(bytes).equals(sha256)) {
      return null;
    }
    if (heldStill) {
      hashedNow.put(name, sha256 + " " + fingerprint);
    }
    return bytes;
  }

  static boolean isSha256(String text) {
    if (text.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes the cache as the engine reapplies and patches, for the next start: rewrites the index
   * after each change (small: one line per update and per load). Best effort: what is not written
   * only means the next start runs the engine. Thread-safe.
   */
  static final class Writer {
    private final OwnerOnlyDirectory directory;
    private final Binding binding;
    private final Map<String, String> updates = new LinkedHashMap<>(); // "ID SHA" -> served?
    private final Map<String, Load> loads = new LinkedHashMap<>(); // by class, hash and origin
    private final Map<String, String> hashed = new LinkedHashMap<>(); // as Binding#hashed
    private final List<String> trustFiles; // as Binding#trustFiles

    /**
     * @param kept loads of a cache that held at this start, served before the engine started: the
     *     engine will not see them load again
     */
    Writer(OwnerOnlyDirectory directory, Binding binding, Usable kept) {
      this.directory = directory;
      this.binding = binding;
      this.trustFiles = binding == null ? List.of() : binding.trustFiles();
      if (binding != null) {
        hashed.putAll(binding.hashed());
      }
      if (kept != null) {
        for (List<Load> ofClass : kept.loads().values()) {
          for (Load load : ofClass) {
            put(load);
          }
        }
        hashed.putAll(kept.hashed());
        hashed.putAll(kept.bytes().believed()); // verified at this start, the index's may be stale
      }
    }

    private void put(Load load) {
      loads.put(load.className() + " " + load.handedSha256() + " " + load.origin(), load);
    }

    /** Notes what became of recorded update {@code id}: served from the cache next time or not. */
    synchronized void update(String id, boolean served) {
      if (binding == null) {
        return;
      }
      for (String update : binding.updates()) {
        if (update.startsWith(id + " ")) {
          updates.put(update, served ? "served" : "engine");
        }
      }
      writeIndex();
    }

    /**
     * Notes a load the engine checked and patched with {@code installed}: keeps the bytes it was
     * {@code handed} and those it installed.
     */
    synchronized void loaded(
        String className, String origin, byte[] handed, String updateId, byte[] installed) {
      if (binding == null
          || origin.indexOf('\n') >= 0
          || origin.indexOf('\r') >= 0
          || className.indexOf(' ') >= 0
          || updateId.indexOf(' ') >= 0) {
        return;
      }
      String handedSha256 = keep(handed);
      String installedSha256 = keep(installed);
      put(new Load(className, handedSha256, updateId, installedSha256, origin));
      writeIndex();
    }

    /** Writes {@code bytes} to their file, {@code bytes-SHA256}; returns their SHA-256. */
    private String keep(byte[] bytes) {
      String sha256 = ServiceRecordStore.sha256(bytes);
      String name = "bytes-" + sha256;
      directory.writeBytes(name, bytes);
      String fingerprint = directory.fingerprint(name);
      if (fingerprint != null) {
        hashed.put(name, sha256 + " " + fingerprint);
      }
      return sha256;
    }

    private void writeIndex() {
      StringBuilder index = new StringBuilder(FORMAT).append('\n');
      binding.header().forEach(line -> index.append(line).append('\n'));
      for (String update : binding.updates()) {
        index
            .append("update ")
            .append(update)
            .append(' ')
            .append(updates.getOrDefault(update, "pending"))
            .append('\n');
      }
      hashed.forEach(
          (path, shaAndFingerprint) -> {
            if (path.indexOf('\n') < 0 && path.indexOf('\r') < 0) {
              index.append("file ").append(shaAndFingerprint).append(' ').append(path).append('\n');
            }
          });
      trustFiles.forEach(line -> index.append("trustfile ").append(line).append('\n'));
      for (Load load : loads.values()) {
        index
            .append("load ")
            .append(load.className())
            .append(' ')
            .append(load.handedSha256())
            .append(' ')
            .append(load.updateId())
            .append(' ')
            .append(load.installedSha256())
            .append(' ')
            .append(load.origin())
            .append('\n');
      }
      directory.write("index", index.toString().strip());
    }
  }
}
