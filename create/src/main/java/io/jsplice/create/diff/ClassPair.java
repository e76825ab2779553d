package io.jsplice.create.diff;

import org.objectweb.asm.tree.ClassNode;

/**
 * One class in both versions.
 *
 * @param pre the pre class
 * @param post the post class as compiled
 * @param remapped the post class under the running JVM's names ({@link Renames#remap}); its fields
 *     and methods are in the same order as {@code post}'s, so an index into one is an index into
 *     the other
 */
record ClassPair(ClassNode pre, ClassNode post, ClassNode remapped) {}
