/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.monitor;

import java.util.ArrayList;
import java.util.List;

/** The words after a monitor command's name, with option and number parsing that names what is wrong. */
public final class MonitorArgs {
    private final String command;
    private final List<String> words;

    MonitorArgs(String command, List<String> words) {
        this.command = command;
        this.words = new ArrayList<>(words);
    }

    public int size() {
        return words.size();
    }

    public boolean isEmpty() {
        return words.isEmpty();
    }

    public String get(int i) {
        return words.get(i);
    }

    /** All remaining words joined with spaces. */
    public String joined(int from) {
        return String.join(" ", words.subList(Math.min(from, words.size()), words.size()));
    }

    /** Removes {@code --name VALUE} (or {@code --name=VALUE}) and returns VALUE, or null if absent. */
    public String takeOption(String name) {
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("--" + name)) {
                if (i + 1 >= words.size()) {
                    throw new IllegalArgumentException(command + ": --" + name + " needs a value");
                }
                words.remove(i);
                return words.remove(i);
            }
            if (w.startsWith("--" + name + "=")) {
                words.remove(i);
                return w.substring(name.length() + 3);
            }
        }
        return null;
    }

    /** Removes a flag {@code --name}; true if it was there. */
    public boolean takeFlag(String name) {
        return words.remove("--" + name);
    }

    /** Fails on words starting with -- that no one took. */
    public void rejectUnknownOptions() {
        for (String w : words) {
            if (w.startsWith("--")) {
                throw new IllegalArgumentException(command + ": unknown option " + w);
            }
        }
    }

    public void maxWords(int n, String usage) {
        if (words.size() > n) {
            throw new IllegalArgumentException(command + ": too many arguments; usage: " + usage);
        }
    }

    /** A number in decimal or 0x hex. */
    public long number(int i, String what) {
        return parseNumber(command, words.get(i), what);
    }

    static long parseNumber(String command, String s, String what) {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": " + what + " '" + s + "' is not a number");
        }
    }
}
