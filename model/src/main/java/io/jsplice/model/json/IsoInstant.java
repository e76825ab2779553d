package io.jsplice.model.json;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * An {@link Instant}'s ISO-8601 text, as {@link Instant#toString()} writes it and {@link
 * Instant#parse} reads it, for the years 0000 to 9999 in UTC ({@code 2026-02-01T08:30:15.250Z})
 * computed here from the epoch second: {@code java.time}'s formatter is some fifty classes that an
 * agent attached to answer one apply would otherwise load into the target to write or read one
 * date. Any other text (another year, an offset, a leap second) goes to {@code java.time}, so the
 * result is always what {@link Instant#toString()} and {@link Instant#parse} give.
 */
public final class IsoInstant {
  private static final long SECONDS_PER_DAY = 86_400;

  /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z, in seconds from the epoch. */
  private static final long FIRST = -62_167_219_200L;

  private static final long END = 253_402_300_800L;

  private IsoInstant() {}

  /** {@code instant.toString()}. */
  public static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < FIRST || seconds >= END) {
      return instant.toString();
    }
    long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    // Civil date of a day number (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long shiftedMonth = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
    int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    StringBuilder out = new StringBuilder(30);
    digits(out, year, 4).append('-');
    digits(out, month, 2).append('-');
    digits(out, day, 2).append('T');
    digits(out, secondOfDay / 3_600, 2).append(':');
    digits(out, secondOfDay / 60 % 60, 2).append(':');
    digits(out, secondOfDay % 60, 2);
    int nanos = instant.getNano();
    if (nanos > 0) {
      // As DateTimeFormatter.ISO_INSTANT: 3, 6 or 9 digits, whichever shows all of them.
      out.append('.');
      if (nanos % 1_000_000 == 0) {
        digits(out, nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        digits(out, nanos / 1_000, 6);
      } else {
        digits(out, nanos, 9);
      }
    }
    return out.append('Z').toString();
  }

  /** {@code Instant.parse(text)}; null where that throws. */
  public static Instant parse(String text) {
    Instant instant = parseCommon(text);
    if (instant != null) {
      return instant;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Whether {@code text} is {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with a valid date and time (no
   * leap second): the text {@link #parse} reads here, without {@code java.time}'s parser, and
   * {@link Instant#parse} reads the same. False for any other text, which {@link Instant#parse} may
   * still read.
   */
  public static boolean isCommon(String text) {
    int length = text.length();
    if (length < 20
        || length == 21
        || length > 30
        || text.charAt(length - 1) != 'Z'
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return false;
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 7);
    int day = number(text, 8, 10);
    int hour = number(text, 11, 13);
    int minute = number(text, 14, 16);
    int second = number(text, 17, 19);
    return year >= 0
        && month >= 1
        && month <= 12
        && day >= 1
        && day <= lengthOfMonth(year, month)
        && hour >= 0
        && hour <= 23
        && minute >= 0
        && minute <= 59
        && second >= 0
        && second <= 59
        && (length == 20 || (text.charAt(19) == '.' && number(text, 20, length - 1) >= 0));
  }

  /** The instant of a text {@link #isCommon}; null for any other. */
  private static Instant parseCommon(String text) {
    if (!isCommon(text)) {
      return null;
    }
    int length = text.length();
    int year = number(text, 0, 4);
    int month = number(text, 5, 7);
    int day = number(text, 8, 10);
    int hour = number(text, 11, 13);
    int minute = number(text, 14, 16);
    int second = number(text, 17, 19);
    int nanos = 0;
    if (length > 20) {
      nanos = number(text, 20, length - 1);
      for (int i = length - 21; i < 9; i++) {
        nanos *= 10;
      }
    }
    // Day number of a civil date (H. Hinnant, as above).
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yearOfEra = y - era * 400;
    long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    long days = era * 146_097 + dayOfEra - 719_468;
    return Instant.ofEpochSecond(
        days * SECONDS_PER_DAY + hour * 3_600L + minute * 60L + second, nanos);
  }

  private static int lengthOfMonth(int year, int month) {
    if (month == 2) {
      boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
      return leap ? 29 : 28;
    }
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
  }

  /** The decimal number of {@code text[from, to)}; -1 if it holds anything but ASCII digits. */
  private static int number(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static StringBuilder digits(StringBuilder out, long value, int width) {
    String text = Long.toString(value);
    for (int i = text.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(text);
  }
}
