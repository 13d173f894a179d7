/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Strict parser of one command's arguments: {@code --name value}, {@code --name=value},
 * flags, and positional arguments ({@code --} ends the options). Anything unknown, repeated,
 * missing or malformed is a {@link CliException#usage usage error} that names it.
 */
public final class Options {
    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private Options(String command) {
        this.command = command;
    }

    /**
     * Parses {@code args}.
     *
     * @param flags          options without a value (e.g. {@code --stats})
     * @param valued         options that take a value (e.g. {@code --arch})
     * @param freeValued     valued options whose value may itself start with {@code -} (e.g. {@code --append})
     * @param maxPositionals how many positional arguments the command takes
     */
    public static Options parse(String command, List<String> args, Set<String> flags, Set<String> valued,
            Set<String> freeValued, int maxPositionals) throws CliException {
        Options o = new Options(command);
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (optionsEnded || !a.startsWith("-") || a.equals("-")) {
                if (o.positionals.size() >= maxPositionals) {
                    throw CliException.usage(command, maxPositionals == 0
                            ? "'" + command + "' takes no arguments, but got '" + a + "'"
                            : "unexpected argument '" + a + "' for '" + command + "'");
                }
                o.positionals.add(a);
                continue;
            }
            if (a.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw CliException.usage(command, "option " + name + " takes no value, but got '" + value + "'");
                }
                value = "";
            } else if (valued.contains(name) || freeValued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw CliException.usage(command, "option " + name + " needs a value");
                    }
                    String next = args.get(i + 1);
                    if (next.startsWith("--") && !freeValued.contains(name)) {
                        throw CliException.usage(command, "option " + name + " needs a value, but got option " + next);
                    }
                    value = next;
                    i++;
                }
                if (value.isEmpty()) {
                    throw CliException.usage(command, "option " + name + " needs a non-empty value");
                }
            } else {
                throw CliException.usage(command, "unknown option " + name + " for '" + command + "'");
            }
            if (o.values.putIfAbsent(name, value) != null) {
                throw CliException.usage(command, "option " + name + " given more than once");
            }
        }
        return o;
    }

    public String command() {
        return command;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value of an option, or null when it was not given. */
    public String value(String name) {
        return values.get(name);
    }

    public String required(String name) throws CliException {
        String v = values.get(name);
        if (v == null) {
            throw CliException.usage(command, "option " + name + " is required");
        }
        return v;
    }

    public List<String> positionals() {
        return List.copyOf(positionals);
    }

    /** An integer option in [min, max], or {@code fallback} when absent. */
    public int intValue(String name, int fallback, int min, int max) throws CliException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        long n = parseDecimal(v);
        if (n < 0) {
            throw CliException.usage(command, "option " + name + " needs a whole number, not '" + v + "'");
        }
        if (n < min || n > max) {
            throw CliException.usage(command, "option " + name + " must be " + min + "-" + max + ", not " + v);
        }
        return (int) n;
    }

    /**
     * A memory size in MiB: a number of MiB, or with a suffix {@code M}/{@code MiB} or
     * {@code G}/{@code GiB} as QEMU's {@code -m} takes it; {@code fallback} when absent.
     */
    public int mebibytes(String name, int fallback, int min, int max) throws CliException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        String s = v.trim().toUpperCase(Locale.ROOT);
        long scale = 1;
        for (String suffix : new String[] {"MIB", "MB", "M", "GIB", "GB", "G"}) {
            if (s.endsWith(suffix)) {
                scale = suffix.startsWith("G") ? 1024 : 1;
                s = s.substring(0, s.length() - suffix.length());
                break;
            }
        }
        long n = parseDecimal(s);
        if (n < 0) {
            throw CliException.usage(command, "option " + name + " needs a size in MiB (e.g. 256 or 1G), not '" + v + "'");
        }
        long mib = n * scale;
        if (mib < min || mib > max) {
            throw CliException.usage(command, "option " + name + " must be " + min + "-" + max + " MiB, not " + v);
        }
        return (int) mib;
    }

    /** Decimal digits only (no sign, no spaces), at most 9 of them; -1 if malformed. */
    private static long parseDecimal(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
