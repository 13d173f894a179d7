/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

import java.util.Locale;

/**
 * The ISA extensions a vCPU can have, in the spirit of KVM's {@code KVM_RISCV_ISA_EXT_*}
 * ONE_REG registers: each one can be switched on or off before the vCPU first runs. The order
 * is the canonical order of the riscv,isa string (single letters, then Z extensions by
 * category and name, then S extensions by name).
 */
public enum IsaExtension {
    I("i", true, "base integer ISA"),
    M("m", true, "integer multiply/divide"),
    A("a", true, "atomics (LR/SC, AMOs)"),
    F("f", true, "single-precision floating point"),
    D("d", true, "double-precision floating point"),
    C("c", true, "compressed instructions"),
    ZICCRSE("ziccrse", false, "LR/SC reservations on main memory eventually succeed (RsrvEventual)"),
    ZICNTR("zicntr", false, "cycle, time and instret counters"),
    ZICSR("zicsr", false, "CSR instructions"),
    ZIFENCEI("zifencei", false, "fence.i"),
    ZIHINTPAUSE("zihintpause", false, "pause hint"),
    ZABHA("zabha", false, "byte and halfword AMOs (amo*.b/h, amocas.b/h with Zacas)"),
    ZACAS("zacas", false, "compare-and-swap AMOs (amocas.w/d/q)"),
    ZBA("zba", false, "address generation (sh1add …)"),
    ZBB("zbb", false, "basic bit manipulation"),
    ZBS("zbs", false, "single-bit instructions"),
    SSTC("sstc", false, "supervisor timer compare (stimecmp / vstimecmp)"),
    SVVPTC("svvptc", false, "PTEs that become valid are visible without sfence.vma");

    private final String isaName;
    private final boolean singleLetter;
    private final String description;

    IsaExtension(String isaName, boolean singleLetter, String description) {
        this.isaName = isaName;
        this.singleLetter = singleLetter;
        this.description = description;
    }

    /** The name in a riscv,isa string, e.g. {@code zabha}. */
    public String isaName() {
        return isaName;
    }

    public boolean singleLetter() {
        return singleLetter;
    }

    public String description() {
        return description;
    }

    /** Bit in an extension mask. */
    public long bit() {
        return 1L << ordinal();
    }

    /** The extension with this riscv,isa name, or null. */
    public static IsaExtension forName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (IsaExtension e : values()) {
            if (e.isaName.equals(n)) {
                return e;
            }
        }
        return null;
    }
}
