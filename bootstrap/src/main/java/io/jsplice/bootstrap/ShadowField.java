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
 * that into the field type's default value. Thread-safe: the table is split into independently
 * locked stripes chosen by identity hash, so threads touching different objects rarely contend.
 * Cost per access: one identity hash, one uncontended lock, a short probe (measured in the
 * benchmarks).
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
    return stripes[spread(hash) & (STRIPES - 1)].get(owner, hash);
  }

  /** Sets the value for {@code owner}; {@code null} removes it. */
  public void set(Object owner, Object value) {
    if (owner == null) {
      throw new NullPointerException("shadow field " + description + " of null");
    }
    int hash = System.identityHashCode(owner);
    stripes[spread(hash) & (STRIPES - 1)].put(owner, hash, value);
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

  private static final class Key extends WeakReference<Object> {
    final int hash;

    Key(Object referent, int hash, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = hash;
    }
  }

  /** An open-addressing table with linear probing; every method holds the stripe's lock. */
  private static final class Stripe {
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private Key[] keys = new Key[8];
    private Object[] values = new Object[8];
    private int size;

    synchronized Object get(Object owner, int hash) {
      Key[] k = keys;
      int mask = k.length - 1;
      for (int i = (hash >>> 5) & mask; k[i] != null; i = (i + 1) & mask) {
        if (k[i].hash == hash && k[i].get() == owner) {
          return values[i];
        }
      }
      return null;
    }

    synchronized void put(Object owner, int hash, Object value) {
      purge();
      int mask = keys.length - 1;
      int i = (hash >>> 5) & mask;
      for (; keys[i] != null; i = (i + 1) & mask) {
        if (keys[i].hash == hash && keys[i].get() == owner) {
          if (value == null) {
            removeAt(i);
          } else {
            values[i] = value;
          }
          return;
        }
      }
      if (value == null) {
        return;
      }
      keys[i] = new Key(owner, hash, queue);
      values[i] = value;
      if (++size * 2 > keys.length) {
        resize(keys.length * 2);
      }
    }

    synchronized void clear() {
      keys = new Key[8];
      values = new Object[8];
      size = 0;
      while (queue.poll() != null) {
        // drain: those keys are gone with the table
      }
    }

    synchronized int size() {
      purge();
      return size;
    }

    private void purge() {
      for (Object stale = queue.poll(); stale != null; stale = queue.poll()) {
        Key key = (Key) stale;
        int mask = keys.length - 1;
        for (int i = (key.hash >>> 5) & mask; keys[i] != null; i = (i + 1) & mask) {
          if (keys[i] == key) {
            removeAt(i);
            break;
          }
        }
      }
    }

    /** Removes slot i and re-inserts the rest of its probe run (no tombstones). */
    private void removeAt(int i) {
      int mask = keys.length - 1;
      keys[i] = null;
      values[i] = null;
      size--;
      for (int j = (i + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
        Key key = keys[j];
        Object value = values[j];
        keys[j] = null;
        values[j] = null;
        int k = (key.hash >>> 5) & mask;
        while (keys[k] != null) {
          k = (k + 1) & mask;
        }
        keys[k] = key;
        values[k] = value;
      }
    }

    private void resize(int capacity) {
      Key[] oldKeys = keys;
      Object[] oldValues = values;
      keys = new Key[capacity];
      values = new Object[capacity];
      int mask = capacity - 1;
      for (int i = 0; i < oldKeys.length; i++) {
        Key key = oldKeys[i];
        if (key != null && key.get() != null) {
          int k = (key.hash >>> 5) & mask;
          while (keys[k] != null) {
            k = (k + 1) & mask;
          }
          keys[k] = key;
          values[k] = oldValues[i];
        } else if (key != null) {
          size--;
        }
      }
    }
  }
}
