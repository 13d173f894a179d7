/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

/**
 * A property of an exit that exit-breakpoint conditions and views can ask for, independent of
 * how the vendor encodes it (an IO port sits in bits 31:16 of both the VMX exit qualification
 * and the SVM EXITINFO1, an MSR index in ECX, a CPUID leaf in EAX, an SBI extension in a7).
 */
public enum ExitAttribute {
    /** I/O port of an IO exit. */
    PORT("port"),
    /** MSR index of an MSR exit. */
    MSR("msr"),
    /** CPUID leaf (EAX) of a CPUID exit. */
    CPUID_LEAF("leaf"),
    /** Guest-physical address of an MMIO or nested page fault exit. */
    GPA("gpa"),
    /** SBI extension id (a7) of an SBI call. */
    SBI_EXTENSION("ext"),
    /** SBI function id (a6) of an SBI call. */
    SBI_FUNCTION("fid"),
    /** Control register number of a CR access. */
    CR("cr");

    private final String key;

    ExitAttribute(String key) {
        this.key = key;
    }

    /** The short key used in condition strings, e.g. {@code port} in {@code port=0x3f8}. */
    public String key() {
        return key;
    }

    /** Finds an attribute by its key (or enum name), case-insensitively, or null. */
    public static ExitAttribute forKey(String key) {
        String k = key.trim().toLowerCase(java.util.Locale.ROOT);
        for (ExitAttribute a : values()) {
            if (a.key.equals(k) || a.name().equalsIgnoreCase(k)) {
                return a;
            }
        }
        if (k.equals("extension") || k.equals("sbi")) {
            return SBI_EXTENSION;
        }
        if (k.equals("cpuid")) {
            return CPUID_LEAF;
        }
        return null;
    }
}
