/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Packet dispatch: handlers keyed by packet name, like KVM's exit-handler tables - never an
 * if-chain. One-letter packets ({@code g}, {@code m}, {@code Z} …) are looked up in an array
 * by their letter; {@code q}, {@code Q} and {@code v} packets by their name up to the first
 * {@code :}, {@code ,} or {@code ;} ({@code qSupported}, {@code vCont?}, {@code qHvdbg.exits}).
 */
public final class PacketTable {
    private final PacketHandler[] byLetter = new PacketHandler[128];
    private final Map<String, PacketHandler> byName = new HashMap<>();

    /** Installs a handler; one letter for single-letter packets, the full name otherwise. */
    public PacketTable on(String name, PacketHandler handler) {
        if (name.length() == 1 && !isNamedPrefix(name.charAt(0))) {
            byLetter[name.charAt(0)] = handler;
        } else {
            if (!isNamedPrefix(name.charAt(0))) {
                throw new IllegalArgumentException("multi-letter packet names start with q, Q or v: " + name);
            }
            byName.put(name, handler);
        }
        return this;
    }

    private static boolean isNamedPrefix(int c) {
        return c == 'q' || c == 'Q' || c == 'v';
    }

    /** Length of the packet's name in {@code data}. */
    public static int nameLength(byte[] data, int length) {
        if (length == 0) {
            return 0;
        }
        if (!isNamedPrefix(data[0])) {
            return 1;
        }
        int i = 1;
        while (i < length) {
            byte b = data[i];
            if (b == ':' || b == ',' || b == ';') {
                break;
            }
            i++;
        }
        return i;
    }

    /** The handler for a packet, or null (the empty "unsupported" reply). */
    public PacketHandler lookup(byte[] data, int length, int nameLength) {
        if (nameLength == 0) {
            return null;
        }
        if (nameLength == 1 && !isNamedPrefix(data[0])) {
            int c = data[0];
            return c >= 0 && c < 128 ? byLetter[c] : null;
        }
        return byName.get(new String(data, 0, nameLength, StandardCharsets.ISO_8859_1));
    }

    /** Names of all installed packets (for documentation checks). */
    public Set<String> names() {
        Set<String> s = new TreeSet<>(byName.keySet());
        for (int c = 0; c < byLetter.length; c++) {
            if (byLetter[c] != null) {
                s.add(String.valueOf((char) c));
            }
        }
        return s;
    }
}
