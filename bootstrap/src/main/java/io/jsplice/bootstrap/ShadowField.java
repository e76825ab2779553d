package io.jsplice.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * Storage for an instance field that an update adds to a class the JVM has already loaded (a stock
 * JVM cannot add fields to a loaded class). Values are keyed by the identity of the object that
 * would hold the field; the key is weak, so the shadow never keeps an object alive, and entries of
 * collected objects are purged as the map is used (the kpatch "shadow variable" idea).
 *
 * <p>An object that never had the field set reads as {@code null}; the generated accessors turn
 * that into the field's initial value. Thread-safe. Reads take no lock and allocate nothing: one
 * identity hash, a probe of an open-addressing table, a weak-reference read. Updating an object's
 * value is one volatile write, also lock-free; adding or removing an object takes its stripe's lock
 * (the table is split into stripes by identity hash). Entries are never moved while readers may
 * look at them: removal leaves a tombstone, growth builds a new table and publishes it. A read
 * racing with a write to the same object sees the old or the new value, as for a plain field.
 * Measured costs are in the benchmarks (SteadyStateBenchmark).
 */
public final class ShadowField {
  private static final int STRIPES = 32; // power of two

  /**
   * Stands for an explicit {@code null}, so that "set to null" differs from "never set" (which
   * reads as the field's initial value).
   */
  public static final Object NULL = new Object();

  private final String description;
  private final Stripe[] stripes = new Stripe[STRIPES];

  /**
   * @param description the field, for diagnostics, e.g. {@code org.example.Foo.count:I}
   */
  public ShadowField(String description) {
    this.description = description;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  /** The value for {@code owner}, or null if none was set. */
  public Object get(Object owner) {
    int hash = System.identityHashCode(owner);
    Entry e = stripes[spread(hash) & (STRIPES - 1)].find(owner, hash);
    return e == null ? null : e.value;
  }

  /** Sets the value for {@code owner}; {@code null} removes it. */
  public void set(Object owner, Object value) {
    if (owner == null) {
      throw new NullPointerException("shadow field " + description + " of null");
    }
    int hash = System.identityHashCode(owner);
    Stripe stripe = stripes[spread(hash) & (STRIPES - 1)];
    if (value != null) {
      Entry e = stripe.find(owner, hash);
      if (e != null) {
        e.value = value; // the common case, an update: no lock
        return;
      }
    }
    stripe.put(owner, hash, value);
  }

  /** {@code value}, or {@link #NULL} for null: what generated setters store. */
  public static Object box(Object value) {
    return value == null ? NULL : value;
  }

  /** The value a generated getter returns for a stored entry (never called on "absent"). */
  public static Object unbox(Object stored) {
    return stored == NULL ? null : stored;
  }

  /** Drops every value (on undo of the update that added the field). */
  public void clear() {
    for (Stripe stripe : stripes) {
      stripe.clear();
    }
  }

  /** How many live objects have a value; for diagnostics and tests. */
  public int size() {
    int size = 0;
    for (Stripe stripe : stripes) {
      size += stripe.size();
    }
    return size;
  }

  @Override
  public String toString() {
    return "shadow of " + description;
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }

  /** One object's value. Key and hash never change; the value is written without a lock. */
  private static final class Entry extends WeakReference<Object> {
    final int hash;
    volatile Object value;

    Entry(Object owner, int hash, Object value, ReferenceQueue<Object> queue) {
      super(owner, queue);
      this.hash = hash;
      this.value = value;
    }
  }

  /** Marks a removed slot, so that probes for other objects keep going past it. */
  private static final Entry TOMBSTONE = new Entry(null, 0, null, null);

  /**
   * An open-addressing table with linear probing. Readers use {@link #table} without the lock;
   * writers hold the stripe's lock, fill free slots (a reader sees a slot empty or complete: entry
   * fields are final but the value, which is volatile) and publish grown tables whole.
   */
  private static final class Stripe {
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private volatile Entry[] table = new Entry[16];
    private int live; // guarded by this
    private int used; // live entries plus tombstones; guarded by this

    Entry find(Object owner, int hash) {
      Entry[] t = table;
      int mask = t.length - 1;
      for (int i = (hash >>> 5) & mask, probes = 0;
          probes < t.length;
          i = (i + 1) & mask, probes++) {
        Entry e = t[i];
        if (e == null) {
          return null;
        }
        if (e != TOMBSTONE && e.hash == hash && e.get() == owner) {
          return e;
        }
      }
      return null;
    }

    synchronized void put(Object owner, int hash, Object value) {
      purge();
      Entry[] t = table;
      int mask = t.length - 1;
      for (int i = (hash >>> 5) & mask; t[i] != null; i = (i + 1) & mask) {
        Entry e = t[i];
        if (e != TOMBSTONE && e.hash == hash && e.get() == owner) {
          if (value == null) {
            t[i] = TOMBSTONE;
            live--;
          } else {
            e.value = value;
          }
          return;
        }
      }
      if (value == null) {
        return;
      }
      if ((used + 1) * 2 > t.length) {
        t = rebuild(live * 4 > t.length ? t.length * 2 : t.length);
        mask = t.length - 1;
      }
      int i = (hash >>> 5) & mask;
      while (t[i] != null) {
        i = (i + 1) & mask;
      }
      t[i] = new Entry(owner, hash, value, queue);
      live++;
      used++;
    }

    synchronized void clear() {
      table = new Entry[16];
      live = 0;
      used = 0;
      while (queue.poll() != null) {
        // drain: those entries are gone with the table
      }
    }

    synchronized int size() {
      purge();
      return live;
    }

    /** Tombstones the entries of objects the collector took. */
    private void purge() {
      for (Object stale = queue.poll(); stale != null; stale = queue.poll()) {
        Entry[] t = table;
        Entry dead = (Entry) stale;
        int mask = t.length - 1;
        for (int i = (dead.hash >>> 5) & mask; t[i] != null; i = (i + 1) & mask) {
          if (t[i] == dead) {
            t[i] = TOMBSTONE;
            live--;
            break;
          }
        }
      }
    }

    /** A new table without tombstones or dead entries, published whole. */
    private Entry[] rebuild(int capacity) {
      Entry[] fresh = new Entry[capacity];
      int mask = capacity - 1;
      int count = 0;
      for (Entry e : table) {
        if (e != null && e != TOMBSTONE && e.get() != null) {
          int i = (e.hash >>> 5) & mask;
          while (fresh[i] != null) {
            i = (i + 1) & mask;
          }
          fresh[i] = e;
          count++;
        }
      }
      live = count;
      used = count;
      table = fresh;
      return fresh;
    }
  }
}
