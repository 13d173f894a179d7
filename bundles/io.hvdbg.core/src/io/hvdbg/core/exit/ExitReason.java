/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

import java.util.Objects;

/**
 * A vendor-native exit reason: the code and name the vendor's manual uses, and the shared
 * {@link ExitCategory}. Instances are interned in {@link ExitReasons}; {@link #id()} is a small
 * dense number used by compact storage such as {@link ExitTrace}.
 */
public final class ExitReason {
    private final int id;
    private final ExitSource source;
    private final long code;
    private final String name;
    private final ExitCategory category;

    ExitReason(int id, ExitSource source, long code, String name, ExitCategory category) {
        this.id = id;
        this.source = Objects.requireNonNull(source);
        this.code = code;
        this.name = Objects.requireNonNull(name);
        this.category = Objects.requireNonNull(category);
    }

    /** Dense registry id, stable for the life of the JVM. */
    public int id() {
        return id;
    }

    public ExitSource source() {
        return source;
    }

    /** Vendor-native code (VMX basic exit reason, SVM exit code, RISC-V scause). */
    public long code() {
        return code;
    }

    /** Vendor-native name, e.g. {@code EXIT_REASON_CPUID}, {@code VMEXIT_CPUID}. */
    public String name() {
        return name;
    }

    public ExitCategory category() {
        return category;
    }

    @Override
    public String toString() {
        return name + " (" + source.displayName() + " 0x" + Long.toHexString(code) + ", " + category + ")";
    }
}
