/**
 * What Linux's {@code /proc} tells about a local process without asking the process: when it
 * started, and which files it holds open. Readers return "nothing known" rather than failing where
 * {@code /proc} is missing or another user's process hides it.
 */
package io.jsplice.cli.procfs;
