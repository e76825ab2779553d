package io.jsplice.model;

/** What an update does to one class as a whole. */
public enum ClassStatus {
  MODIFIED,
  ADDED,
  REMOVED
}
