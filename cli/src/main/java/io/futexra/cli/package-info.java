/**
 * The {@code futex-ra} command: the same named objects as the Java API, for shell scripts and
 * operators. {@link io.futexra.cli.Main} is the entry point; {@code bin/futex-ra} starts it.
 *
 * <p>This package sits on the edge: it uses the public API ({@code io.futexra}) only, never the
 * core or the native layer. Start-up time matters more here than anywhere else (every shell use is
 * a fresh JVM), so the code on the start path avoids what costs a JVM milliseconds the first time:
 * lambdas, regular expressions, reflection, logging, {@code String.format}.
 */
package io.futexra.cli;
