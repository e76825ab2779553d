package io.jsplice.model.signing;

/**
 * The sizes an update file may have, checked before anything is inflated or parsed: an update comes
 * from outside and is read inside someone's production JVM, so no size in it is taken on trust.
 * Declared sizes are checked against these limits first, and actual sizes while inflating, so a
 * compressed bomb is refused after reading its directory, whoever signed it.
 *
 * <p>The defaults hold the largest real update seen (a whole-release diff of a cryptography
 * library, 367 classes, about 2 MB) with two orders of magnitude to spare.
 *
 * @param maxFileBytes the update file itself
 * @param maxEntries entries in it, signature files included
 * @param maxEntryBytes one entry, inflated
 * @param maxTotalBytes all entries together, inflated
 * @param maxMetadataBytes the manifest, a signature file, a signature block or the descriptor
 *     ({@code update.json}), each inflated
 * @param maxConstantPoolEntries constant pool entries of one class file (the class format allows
 *     65,535; a redefinition merges the old and the new pool, and jsplice adds a few entries)
 */
public record UpdateLimits(
    long maxFileBytes,
    int maxEntries,
    long maxEntryBytes,
    long maxTotalBytes,
    long maxMetadataBytes,
    int maxConstantPoolEntries) {

  public static final UpdateLimits DEFAULT =
      new UpdateLimits(64L << 20, 20_000, 16L << 20, 256L << 20, 16L << 20, 60_000);

  public UpdateLimits {
    if (maxFileBytes <= 0
        || maxEntries <= 0
        || maxEntryBytes <= 0
        || maxTotalBytes <= 0
        || maxMetadataBytes <= 0
        || maxConstantPoolEntries <= 0) {
      throw new IllegalArgumentException("every update limit must be positive");
    }
  }
}
