package io.jsplice.model.record;

import io.jsplice.model.json.Json;
import io.jsplice.model.json.JsonException;
import io.jsplice.model.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Where the {@link ServiceRecord} of one service lives and how it changes. Layout, under the
 * agent's state directory:
 *
 * <pre>
 * STATE/SERVICE/applied.json           the record
 * STATE/SERVICE/updates/ID.jsplice     each recorded update, the signed file as applied
 * STATE/SERVICE/.lock                  taken while the record changes
 * STATE/SERVICE/updates/.staged-*      an update being applied, and its lock file, which the
 *                                      process applying it holds locked until it is done
 * </pre>
 *
 * <p>Nothing is ever half written: each file is written to a temporary file in its own directory,
 * forced to disk, renamed over the old one ({@code ATOMIC_MOVE}), and the directory is forced. A
 * reader sees the old record or the new one. An update's file is in place before the record names
 * it; a crash between the two leaves a file the record does not name, which is harmless.
 *
 * <p>Thread-safe, and safe across JVMs: JVMs of one service share the record, so every change is a
 * read-modify-write under an exclusive lock on {@code .lock} ({@link FileChannel#lock()}, which the
 * operating system releases if the JVM dies), and under this class's monitor within one JVM (a file
 * lock belongs to the whole JVM). Reading takes no lock. Directories are created with mode 0700 and
 * files with 0600: the record says which code the service runs.
 */
public final class ServiceRecordStore {
  /** The record's file name in the service's directory. */
  public static final String RECORD_FILE = "applied.json";

  private static final String LOCK_FILE = ".lock";
  private static final String STAGED_PREFIX = ".staged-";
  private static final String STAGED_SUFFIX = ".jsplice";
  private static final String LOCK_SUFFIX = ".lock";

  /** The files this JVM staged and has not committed or discarded, with the lock it holds. */
  private static final Map<Path, FileLock> STAGED = new ConcurrentHashMap<>();

  /** Held while a lock file is made and locked, and while abandoned staged files are removed. */
  private static final Object STAGING = new Object();

  private static final String UPDATES = "updates";
  private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final FileAttribute<?> PRIVATE_DIRECTORY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final FileAttribute<?> PRIVATE_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private final String service;
  private final Path directory;

  private ServiceRecordStore(String service, Path directory) {
    this.service = service;
    this.directory = directory;
  }

  /**
   * The store of {@code service} under {@code stateDir}. Touches nothing on disk.
   *
   * @throws IllegalArgumentException if {@code service} is not 1 to 64 letters, digits, '.', '_' or
   *     '-', or is {@code .} or {@code ..}
   */
  public static ServiceRecordStore at(Path stateDir, String service) {
    Objects.requireNonNull(stateDir, "stateDir");
    if (service == null
        || !SERVICE.matcher(service).matches()
        || service.equals(".")
        || service.equals("..")) {
      throw new IllegalArgumentException(
          "service name '"
              + service
              + "' is not valid: use 1 to 64 letters, digits, '.', '_' or '-'");
    }
    return new ServiceRecordStore(service, stateDir.toAbsolutePath().resolve(service));
  }

  public String service() {
    return service;
  }

  /** {@code STATE/SERVICE}. */
  public Path directory() {
    return directory;
  }

  /** {@code STATE/SERVICE/applied.json}. */
  public Path recordFile() {
    return directory.resolve(RECORD_FILE);
  }

  /** The signed file of a recorded update. */
  public Path fileOf(RecordedUpdate update) {
    return directory.resolve(update.file());
  }

  /**
   * Reads the record; an empty one if the service has none yet.
   *
   * @throws CorruptRecordException if the file is not a record
   * @throws IOException if it cannot be read
   */
  public ServiceRecord read() throws IOException {
    String text = readText();
    return text == null ? ServiceRecord.empty(service) : parse(text);
  }

  /**
   * The record file's text, as {@link #read} reads it; null if the service has none yet.
   *
   * @throws CorruptRecordException if the file is not UTF-8 text
   * @throws IOException if it cannot be read
   */
  public String readText() throws IOException {
    byte[] bytes = readBytes();
    return bytes == null ? null : text(bytes);
  }

  /**
   * The record file's bytes, exactly; null if the service has none yet.
   *
   * @throws IOException if it cannot be read
   */
  public byte[] readBytes() throws IOException {
    try {
      return Files.readAllBytes(recordFile());
    } catch (NoSuchFileException none) {
      return null;
    }
  }

  /**
   * The text of a record file whose bytes are {@code bytes}, as {@link #readText} decodes them.
   *
   * @throws CorruptRecordException if they are not UTF-8 text
   */
  public String text(byte[] bytes) throws CorruptRecordException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CorruptRecordException(
          recordFile() + " is not a record: it is not UTF-8 text (" + bytes.length + " bytes)", e);
    }
  }

  /**
   * The record whose file holds {@code text} ({@link #readText}).
   *
   * @throws CorruptRecordException if it is not a record of this service
   */
  public ServiceRecord parse(String text) throws CorruptRecordException {
    ServiceRecord record;
    try {
      record = ServiceRecord.fromJson(JsonObject.parse(text));
    } catch (JsonException e) {
      throw new CorruptRecordException(recordFile() + " is not valid JSON: " + e.getMessage(), e);
    } catch (CorruptRecordException e) {
      throw new CorruptRecordException(recordFile() + ": " + e.getMessage(), e);
    }
    if (!record.service().equals(service)) {
      throw new CorruptRecordException(
          recordFile()
              + " is the record of service '"
              + record.service()
              + "', not '"
              + service
              + "'");
    }
    return record;
  }

  /**
   * Writes {@code signedFile} to a private temporary file in the updates directory and forces it to
   * disk. The caller verifies and applies that copy, then {@link #commit}s or {@link #discard}s it,
   * so that the record holds exactly the bytes that were verified.
   */
  public Path stage(byte[] signedFile) throws IOException {
    Path updates = ensureDirectory(ensureDirectory(directory).resolve(UPDATES));
    removeAbandonedStagedFiles(updates);
    // The lock file comes first and stays locked until the staged file is committed or discarded:
    // a staged file whose lock nobody holds was left by a process that died. A lock file of its
    // own, because closing any descriptor of a file releases the process's locks on it, and the
    // staged file is read while it is verified.
    Path staged = stagedFileOf(lockedStagingFile(updates));
    try {
      Files.createFile(staged, PRIVATE_FILE);
      writeForced(staged, signedFile);
      return staged;
    } catch (IOException | RuntimeException e) {
      discard(staged); // and its lock
      throw e;
    }
  }

  /**
   * A new lock file in {@code updates}, locked by this JVM and registered in {@link #STAGED} under
   * its staged file's name.
   *
   * <p>Between creating the lock file and locking it, another JVM's {@link
   * #removeAbandonedStagedFiles} may find it unlocked, take it for abandoned and delete it. The
   * lock is then on a file no longer in the directory, and a staged file beside it would look
   * abandoned in turn. So once locked, the lock file must still be there (nobody else creates its
   * random name, and no one deletes it while the lock is held); else a new one is made.
   *
   * <p>Within one JVM, {@link #STAGING} keeps the cleaner away from a lock file until it is in
   * {@link #STAGED}: the cleaner's closing its own channel on the file would release this JVM's
   * lock on it too.
   */
  private static Path lockedStagingFile(Path updates) throws IOException {
    synchronized (STAGING) {
      return lockedStagingFileLocked(updates);
    }
  }

  private static Path lockedStagingFileLocked(Path updates) throws IOException {
    for (int attempt = 0; attempt < 16; attempt++) {
      Path lockFile = Files.createTempFile(updates, STAGED_PREFIX, LOCK_SUFFIX, PRIVATE_FILE);
      FileChannel channel;
      try {
        channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
      } catch (NoSuchFileException removedMeanwhile) {
        continue;
      }
      try {
        FileLock lock = channel.lock();
        if (Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
          STAGED.put(stagedFileOf(lockFile), lock);
          return lockFile;
        }
        channel.close(); // removed by a cleaner before this lock: start again
      } catch (IOException | RuntimeException e) {
        channel.close();
        Files.deleteIfExists(lockFile);
        throw e;
      }
    }
    throw new IOException(
        "cannot stage an update in "
            + updates
            + ": every lock file made there was removed before it could be locked");
  }

  /** Deletes a staged file that was not committed; never throws. */
  public void discard(Path staged) {
    try {
      Files.deleteIfExists(staged);
    } catch (IOException ignored) {
      // A stray temporary file is harmless; the record never names it, the next stage removes it.
    }
    release(staged);
  }

  /**
   * Deletes the staged files of applies that were killed before they committed or discarded: those
   * whose lock file no process holds. Never throws; a file that cannot be examined is left.
   */
  static void removeAbandonedStagedFiles(Path updates) {
    synchronized (STAGING) {
      removeAbandonedStagedFilesLocked(updates);
    }
  }

  private static void removeAbandonedStagedFilesLocked(Path updates) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(updates, STAGED_PREFIX + "*")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        try {
          if (name.endsWith(LOCK_SUFFIX)) {
            Path staged = stagedFileOf(file);
            if (STAGED.containsKey(staged)) {
              continue; // staged by this JVM, in flight
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
              if (lock != null) {
                Files.deleteIfExists(staged);
                Files.deleteIfExists(file);
              }
            }
          } else if (name.endsWith(STAGED_SUFFIX)
              && !STAGED.containsKey(file)
              && !Files.exists(lockFileOf(file))) {
            Files.deleteIfExists(file); // left by a jsplice that staged without a lock file
          }
        } catch (IOException | OverlappingFileLockException inUseOrGone) {
          // held, or gone meanwhile
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      // nothing to clean, or no directory yet
    }
  }

  private static Path stagedFileOf(Path lockFile) {
    String name = lockFile.getFileName().toString();
    return lockFile.resolveSibling(
        name.substring(0, name.length() - LOCK_SUFFIX.length()) + STAGED_SUFFIX);
  }

  private static Path lockFileOf(Path staged) {
    String name = staged.getFileName().toString();
    return staged.resolveSibling(
        name.substring(0, name.length() - STAGED_SUFFIX.length()) + LOCK_SUFFIX);
  }

  /** Releases and deletes the lock of a staged file this JVM holds. */
  private static void release(Path staged) {
    FileLock lock = STAGED.remove(staged);
    if (lock != null) {
      try {
        lock.channel().close(); // releases the lock
        Files.deleteIfExists(lockFileOf(staged));
      } catch (IOException ignored) {
        // an unlocked lock file is removed by the next stage
      }
    }
  }

  /**
   * Records that the update in {@code staged} (from {@link #stage}) was applied: moves the file to
   * {@code updates/ID.jsplice} and adds the entry, or replaces the entry of the same id.
   *
   * @param classes the binary names of the classes the update modifies
   * @return the entry as recorded
   */
  public RecordedUpdate commit(
      Path staged, String id, String appliedBy, Instant appliedAt, List<String> classes)
      throws IOException {
    return commit(staged, id, appliedBy, appliedAt, classes, false);
  }

  /**
   * As {@link #commit(Path, String, String, Instant, List)}, recording whether the operator
   * accepted that the fix was only partly in force.
   */
  public RecordedUpdate commit(
      Path staged,
      String id,
      String appliedBy,
      Instant appliedAt,
      List<String> classes,
      boolean acceptedPartial)
      throws IOException {
    String sha256 = sha256(Files.readAllBytes(staged));
    RecordedUpdate entry =
        new RecordedUpdate(
            id, RecordedUpdate.fileFor(id), sha256, appliedAt, appliedBy, classes, acceptedPartial);
    synchronized (ServiceRecordStore.class) {
      try (FileChannel lock = lockChannel();
          FileLock held = lock.lock()) {
        ServiceRecord current = read();
        moveAtomically(staged, fileOf(entry));
        forceDirectory(fileOf(entry).getParent());
        writeRecord(current.with(entry));
      } finally {
        release(staged);
      }
    }
    return entry;
  }

  /**
   * Removes update {@code id} from the record and deletes its file.
   *
   * @return whether the record named it
   */
  public boolean remove(String id) throws IOException {
    synchronized (ServiceRecordStore.class) {
      if (!Files.isDirectory(directory)) {
        return false;
      }
      try (FileChannel lock = lockChannel();
          FileLock held = lock.lock()) {
        ServiceRecord current = read();
        var entry = current.find(id);
        if (entry.isEmpty()) {
          return false;
        }
        writeRecord(current.without(id));
        Files.deleteIfExists(fileOf(entry.get()));
        return true;
      }
    }
  }

  /** SHA-256 as 64 lower-case hex digits. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** Under the lock: no other writer has a temporary record file, so any there was abandoned. */
  private void writeRecord(ServiceRecord record) throws IOException {
    try (DirectoryStream<Path> abandoned =
        Files.newDirectoryStream(directory, "." + RECORD_FILE + "-*.tmp")) {
      for (Path file : abandoned) {
        Files.deleteIfExists(file);
      }
    }
    byte[] json = Json.writePretty(record.toJson()).getBytes(StandardCharsets.UTF_8);
    Path temporary = Files.createTempFile(directory, "." + RECORD_FILE + "-", ".tmp", PRIVATE_FILE);
    try {
      writeForced(temporary, json);
      moveAtomically(temporary, recordFile());
    } finally {
      Files.deleteIfExists(temporary);
    }
    forceDirectory(directory);
  }

  private FileChannel lockChannel() throws IOException {
    ensureDirectory(directory);
    Path lockFile = directory.resolve(LOCK_FILE);
    try {
      Files.createFile(lockFile, PRIVATE_FILE);
    } catch (FileAlreadyExistsException shared) {
      // Another JVM of the service created it; everyone locks the same file.
    }
    return FileChannel.open(lockFile, StandardOpenOption.WRITE);
  }

  private static Path ensureDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      try {
        Files.createDirectories(dir, PRIVATE_DIRECTORY);
      } catch (FileAlreadyExistsException raced) {
        // created by another JVM in between; checked below
      }
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    return dir;
  }

  private static void writeForced(Path file, byte[] bytes) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "cannot replace "
              + to
              + " atomically ("
              + e.getMessage()
              + "); keep the state"
              + " directory on a local file system",
          e);
    }
  }

  /** Forces a rename in {@code dir} to disk; a file system that cannot open directories is left. */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException notSupported) {
      // Not every platform opens directories; the rename itself is still atomic.
    }
  }
}
