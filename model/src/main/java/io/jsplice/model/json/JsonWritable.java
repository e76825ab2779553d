package io.jsplice.model.json;

/** A value that knows its own JSON form: maps, lists, strings, numbers, booleans or null. */
public interface JsonWritable {
  Object toJson();
}
