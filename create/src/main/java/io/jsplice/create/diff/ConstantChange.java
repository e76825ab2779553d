package io.jsplice.create.diff;

import io.jsplice.model.Change;

/**
 * A compile-time constant whose value changed: javac copied the old value into the code that used
 * it, in this class and others, so those places keep the old value until they are replaced too.
 *
 * @param owner the class declaring the constant (pre name)
 * @param change the {@link io.jsplice.model.ChangeKind#CONSTANT_VALUE_CHANGED} change reported
 * @param oldValue the pre value, as in the ConstantValue attribute (never null)
 * @param newValue the post value; null when the field is no longer a constant
 */
record ConstantChange(String owner, Change change, Object oldValue, Object newValue) {}
