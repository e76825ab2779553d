package io.jsplice.bench.fuzz;

/** How a mutant of a valid signed update is made. */
enum MutantKind {
  /** Random bytes, text, or nothing: not a zip at all. */
  NOT_A_ZIP,
  /** The valid file cut short. */
  TRUNCATED,
  /** One to eight bits flipped anywhere in the valid file. */
  BIT_FLIPS,
  /** A run of bytes overwritten with random ones. */
  OVERWRITTEN_RUN,
  /** One entry removed, the rest and the signature kept ({@code zip -d}). */
  DELETED_ENTRY,
  /** An entry added after signing. */
  ADDED_ENTRY,
  /** The valid content, not signed. */
  UNSIGNED,
  /** The valid content signed by a key the target does not trust. */
  OTHER_KEY,
  /** Re-signed with the trusted key: an installed class file replaced by random bytes. */
  RESIGNED_GARBAGE_CLASS,
  /** Re-signed: an installed class file cut short. */
  RESIGNED_TRUNCATED_CLASS,
  /** Re-signed: a class file under the path of another class. */
  RESIGNED_WRONG_CLASS_NAME,
  /** Re-signed: the code of a class the descriptor installs left out. */
  RESIGNED_MISSING_CLASS,
  /** Re-signed: a class with 65,535 constants. */
  RESIGNED_HUGE_CONSTANT_POOL,
  /** Re-signed: the loaded class's new code fails the JVM's verifier. */
  RESIGNED_VERIFY_FAIL_LOADED,
  /** Re-signed: the new code of a class not loaded yet fails the JVM's verifier. */
  RESIGNED_VERIFY_FAIL_UNLOADED,
  /** Re-signed: the added (companion) class fails the JVM's verifier. */
  RESIGNED_VERIFY_FAIL_ADDED,
  /** Re-signed: the descriptor is not JSON, or not an update. */
  RESIGNED_BROKEN_DESCRIPTOR,
  /** Re-signed: the descriptor names other code than the target runs (run-pre mismatch). */
  RESIGNED_WRONG_PRE_FINGERPRINT,
  /** A deflated entry of 1 GiB of zeros, declared as such; unsigned, foreign or trusted. */
  COMPRESSED_BOMB,
  /** The same, declared as 1,000 bytes: only inflating it shows what it is. */
  LYING_BOMB,
  /** A 300 MB file of deflated zeros (300 GiB inflated). */
  HUGE_BOMB
}
