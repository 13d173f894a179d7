/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

/** Whose numbering a native exit reason code uses. */
public enum ExitSource {
    /** Intel VMX basic exit reason (SDM Vol. 3C, Appendix C). */
    VMX("Intel VMX"),
    /** AMD SVM exit code (APM Vol. 2, Appendix C). */
    SVM("AMD SVM"),
    /** RISC-V scause of a trap taken to HS-mode (interrupts have bit 63 set, as in scause). */
    RISCV("RISC-V"),
    /** Intel TDX: the TDG.VP.VMCALL sub-function seen by the host (TDCALL exit). */
    TDX("Intel TDX"),
    /** Imported from a host trace whose vendor is unknown. */
    UNKNOWN("unknown");

    private final String displayName;

    ExitSource(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
