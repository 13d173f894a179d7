/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Process-wide registry of exit reasons. Architectures register their tables once (idempotent);
 * lookups by id are array reads, so compact traces can store a small id instead of an object.
 */
public final class ExitReasons {
    private static final Object LOCK = new Object();
    private static volatile ExitReason[] byId = new ExitReason[0];
    private static final Map<Long, ExitReason> BY_SOURCE_AND_CODE = new HashMap<>();
    private static final Map<String, ExitReason> BY_NAME = new HashMap<>();

    private ExitReasons() {
    }

    private static long key(ExitSource source, long code) {
        return ((long) source.ordinal() << 56) ^ code;
    }

    /**
     * Registers (or returns the already registered) reason for a source and native code.
     * Registering the same source and code again with another name or category is an error.
     */
    public static ExitReason register(ExitSource source, long code, String name, ExitCategory category) {
        synchronized (LOCK) {
            ExitReason existing = BY_SOURCE_AND_CODE.get(key(source, code));
            if (existing != null) {
                if (!existing.name().equals(name) || existing.category() != category) {
                    throw new IllegalStateException("exit reason " + source + " 0x" + Long.toHexString(code)
                            + " already registered as " + existing);
                }
                return existing;
            }
            ExitReason[] old = byId;
            if (old.length >= 0xFFFF) {
                throw new IllegalStateException("too many exit reasons");
            }
            ExitReason r = new ExitReason(old.length, source, code, name, category);
            ExitReason[] grown = java.util.Arrays.copyOf(old, old.length + 1);
            grown[r.id()] = r;
            BY_SOURCE_AND_CODE.put(key(source, code), r);
            BY_NAME.putIfAbsent(name.toUpperCase(Locale.ROOT), r);
            byId = grown;
            return r;
        }
    }

    /** The reason with the given registry id. */
    public static ExitReason byId(int id) {
        ExitReason[] table = byId;
        if (id < 0 || id >= table.length) {
            throw new IllegalArgumentException("no exit reason with id " + id);
        }
        return table[id];
    }

    /** The registered reason for a source and native code, or null. */
    public static ExitReason find(ExitSource source, long code) {
        synchronized (LOCK) {
            return BY_SOURCE_AND_CODE.get(key(source, code));
        }
    }

    /**
     * Finds a reason by its native name, case-insensitively; a leading {@code EXIT_REASON_} or
     * {@code VMEXIT_} may be left out (so {@code EPT_VIOLATION} and {@code NPF} are found).
     */
    public static ExitReason findByName(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        synchronized (LOCK) {
            ExitReason r = BY_NAME.get(n);
            if (r == null) {
                r = BY_NAME.get("EXIT_REASON_" + n);
            }
            if (r == null) {
                r = BY_NAME.get("VMEXIT_" + n);
            }
            return r;
        }
    }

    /** A snapshot of all registered reasons, in id order. */
    public static List<ExitReason> all() {
        return List.of(byId);
    }

    /** All registered reasons of one source, in id order. */
    public static List<ExitReason> of(ExitSource source) {
        List<ExitReason> out = new ArrayList<>();
        for (ExitReason r : byId) {
            if (r.source() == source) {
                out.add(r);
            }
        }
        return out;
    }
}
