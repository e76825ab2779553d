package io.jsplice.bench.fuzz;

import java.util.Set;

/**
 * One malformed, tampered or faulty update file, and what {@code jsplice apply} must answer it.
 *
 * @param index its number in the run; with the seed, it makes the same bytes again
 * @param kind how it was made
 * @param bytes the file
 * @param refusedWith the exit codes that are a right refusal (each a documented cause)
 * @param mayBeIntact whether the mutation may leave the signed content as it was (a flipped bit in
 *     zip fields no signature covers): then applying it is applying the valid update
 * @param needsUnloadedLater whether {@code lib.Later} must not be loaded in the target yet
 */
record Mutant(
    int index,
    MutantKind kind,
    byte[] bytes,
    Set<Integer> refusedWith,
    boolean mayBeIntact,
    boolean needsUnloadedLater) {}
