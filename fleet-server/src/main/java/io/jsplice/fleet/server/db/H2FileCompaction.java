package io.jsplice.fleet.server.db;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

/**
 * Compacts the embedded H2 file ({@code fleet.mv.db}) while the server runs.
 *
 * <p>Why it exists: with {@code WRITE_DELAY=0}, which the server needs so that a reply is sent only
 * after its commit is in the file, every commit appends a new chunk to the file. Each old chunk
 * keeps a few live pages, so it never becomes free, and H2 rewrites such chunks only from its
 * background writer thread, which it does not start when {@code WRITE_DELAY=0} (H2 issues #442 and
 * #3848). Without this the file grows with every commit (12 GB for 180 MB of data after 100,000
 * hosts enrolled). No URL setting turns that compaction on; {@code SHUTDOWN COMPACT} and {@code
 * MAX_COMPACT_TIME} act only when the database closes.
 *
 * <p>One {@link #step} does what H2's background writer does in its housekeeping, on the same
 * public {@link MVStore} methods, bounded in the bytes it rewrites and moves rather than in time:
 *
 * <ol>
 *   <li>{@link MVStore#compact(int, int)} rewrites the live pages of at most {@link #REWRITE_BYTES}
 *       from sparse chunks, so those chunks die. It waits at most 10 ms for the store's lock and
 *       otherwise gives up until the next step, so a busy store is not held up.
 *   <li>{@link MVStore#tryCommit()} writes the rewritten pages (unless a commit is under way, which
 *       writes them itself).
 *   <li>{@link RandomAccessStore#compactMoveChunks(int, long, MVStore)} frees the dead chunks,
 *       moves at most {@link #MOVE_BYTES} of the last chunks into the holes (syncing the file
 *       before it overwrites anything) and truncates the file. Commits wait for this move.
 * </ol>
 *
 * <p>H2's retention time still applies (45 s unless {@code RETENTION_TIME} says otherwise): a chunk
 * is rewritten or overwritten only once it is that old, so that a power cut that loses writes the
 * disk had not flushed cannot leave the file pointing at an overwritten chunk. {@code
 * MVStore#compactFile} is not used because it sets the retention time to 0 for good and holds the
 * store's lock, blocking every commit, for its whole run.
 *
 * <p>Threading: safe concurrently with commits on other connections (H2's own background writer
 * runs the same calls beside them); call from one thread at a time.
 */
final class H2FileCompaction {
  /**
   * Chunks and the file are compacted while less than this percentage of them is live data: the
   * rate H2's background writer aims for while the database is busy (its {@code
   * AUTO_COMPACT_FILL_RATE} 90, squared).
   */
  static final int TARGET_FILL_RATE = 80;

  /** The most live data one step rewrites out of sparse chunks. */
  static final int REWRITE_BYTES = 4 << 20;

  /** The most chunk data one step moves towards the start of the file. */
  static final long MOVE_BYTES = 16 << 20;

  private H2FileCompaction() {}

  /**
   * One bounded step of compaction of the embedded database {@code connection} is connected to.
   *
   * @return true when the step rewrote sparse chunks or shrank the file, so that another step may
   *     do more
   * @throws SQLException when {@code connection} is not an H2 connection
   */
  static boolean step(Connection connection) throws SQLException {
    MVStore store = store(connection);
    if (store == null
        || store.isClosed()
        || store.isReadOnly()
        || !(store.getFileStore() instanceof RandomAccessStore file)) {
      return false;
    }
    long size = file.size();
    boolean rewrote = store.compact(TARGET_FILL_RATE, REWRITE_BYTES);
    if (rewrote) {
      store.tryCommit();
    }
    file.compactMoveChunks(TARGET_FILL_RATE, MOVE_BYTES, store);
    return rewrote || file.size() < size;
  }

  /** The store of an embedded database; null when {@code connection} reaches H2 over TCP. */
  private static MVStore store(Connection connection) throws SQLException {
    JdbcConnection h2 = connection.unwrap(JdbcConnection.class);
    if (!(h2.getSession() instanceof SessionLocal session)) {
      return null;
    }
    return session.getDatabase().getStore().getMvStore();
  }
}
