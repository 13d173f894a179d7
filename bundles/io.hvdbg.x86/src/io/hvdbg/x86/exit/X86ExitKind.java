/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.exit;

import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;

/**
 * One x86 intercept with its Intel and AMD numbers: the VMX basic exit reason (SDM Vol. 3C,
 * Appendix C) and the SVM exit code (APM Vol. 2, Appendix C), sharing one category. Control
 * register accesses have one SVM code per register and direction; {@link #svmCrReason} gives them.
 */
public enum X86ExitKind {
    /** SVM has one code per vector ({@link #svmExceptionReason}); this entry's SVM reason is #DE's. */
    EXCEPTION(0, "EXIT_REASON_EXCEPTION_NMI", 0x40, "VMEXIT_EXCP_DE", ExitCategory.EXCEPTION),
    EXTERNAL_INTERRUPT(1, "EXIT_REASON_EXTERNAL_INTERRUPT", 0x60, "VMEXIT_INTR", ExitCategory.EXTERNAL_INTERRUPT),
    TRIPLE_FAULT(2, "EXIT_REASON_TRIPLE_FAULT", 0x7F, "VMEXIT_SHUTDOWN", ExitCategory.SHUTDOWN),
    INTERRUPT_WINDOW(7, "EXIT_REASON_INTERRUPT_WINDOW", 0x64, "VMEXIT_VINTR", ExitCategory.INTERRUPT_WINDOW),
    /**
     * NMI blocking ended (IRET) with an NMI pending. SVM has no NMI-window intercept: KVM's
     * svm_enable_nmi_window intercepts IRET instead, so its exit is VMEXIT_IRET.
     */
    NMI_WINDOW(8, "EXIT_REASON_NMI_WINDOW", 0x74, "VMEXIT_IRET", ExitCategory.INTERRUPT_WINDOW),
    TASK_SWITCH(9, "EXIT_REASON_TASK_SWITCH", 0x7D, "VMEXIT_TASK_SWITCH", ExitCategory.TASK_SWITCH),
    CPUID(10, "EXIT_REASON_CPUID", 0x72, "VMEXIT_CPUID", ExitCategory.CPUID),
    HLT(12, "EXIT_REASON_HLT", 0x78, "VMEXIT_HLT", ExitCategory.HALT),
    INVD(13, "EXIT_REASON_INVD", 0x76, "VMEXIT_INVD", ExitCategory.CACHE_INVAL),
    INVLPG(14, "EXIT_REASON_INVLPG", 0x79, "VMEXIT_INVLPG", ExitCategory.TLB_INVAL),
    VMCALL(18, "EXIT_REASON_VMCALL", 0x81, "VMEXIT_VMMCALL", ExitCategory.HYPERCALL),
    /** SVM reports CR accesses with per-register codes; this entry's SVM code is CR0 read. */
    CR_ACCESS(28, "EXIT_REASON_CR_ACCESS", 0x00, "VMEXIT_CR0_READ", ExitCategory.CR_ACCESS),
    IO(30, "EXIT_REASON_IO_INSTRUCTION", 0x7B, "VMEXIT_IOIO", ExitCategory.IO),
    MSR_READ(31, "EXIT_REASON_MSR_READ", 0x7C, "VMEXIT_MSR", ExitCategory.MSR),
    MSR_WRITE(32, "EXIT_REASON_MSR_WRITE", 0x7C, "VMEXIT_MSR", ExitCategory.MSR),
    PAUSE(40, "EXIT_REASON_PAUSE_INSTRUCTION", 0x77, "VMEXIT_PAUSE", ExitCategory.PAUSE),
    EPT_VIOLATION(48, "EXIT_REASON_EPT_VIOLATION", 0x400, "VMEXIT_NPF", ExitCategory.NESTED_PAGE_FAULT),
    WBINVD(54, "EXIT_REASON_WBINVD", 0x89, "VMEXIT_WBINVD", ExitCategory.CACHE_INVAL),
    XSETBV(55, "EXIT_REASON_XSETBV", 0x8D, "VMEXIT_XSETBV", ExitCategory.XSETBV),
    INVPCID(58, "EXIT_REASON_INVPCID", 0xA2, "VMEXIT_INVPCID", ExitCategory.TLB_INVAL);

    /** SVM code of a read of CRn is n, of a write 0x10 + n (APM Table C-1). */
    public static final int SVM_CR_WRITE_BASE = 0x10;

    public final int vmxCode;
    public final String vmxName;
    public final int svmCode;
    public final String svmName;
    public final ExitCategory category;
    private ExitReason vmx;
    private ExitReason svm;

    private static final ExitReason[] SVM_CR = new ExitReason[32];

    X86ExitKind(int vmxCode, String vmxName, int svmCode, String svmName, ExitCategory category) {
        this.vmxCode = vmxCode;
        this.vmxName = vmxName;
        this.svmCode = svmCode;
        this.svmName = svmName;
        this.category = category;
    }

    private static final String[] VECTOR_NAMES = {"DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "09", "TS",
        "NP", "SS", "GP", "PF", "15", "MF", "AC", "MC", "XF", "20", "CP", "22", "23", "24", "25", "26", "27", "HV", "VC",
        "SX", "31"};
    private static final ExitReason[] SVM_EXCEPTION = new ExitReason[32];

    static {
        for (int v = 0; v < 32; v++) {
            SVM_EXCEPTION[v] = ExitReasons.register(ExitSource.SVM, 0x40 + v, "VMEXIT_EXCP_" + VECTOR_NAMES[v],
                    ExitCategory.EXCEPTION);
        }
        for (int cr = 0; cr < 16; cr++) {
            SVM_CR[cr] = ExitReasons.register(ExitSource.SVM, cr, "VMEXIT_CR" + cr + "_READ", ExitCategory.CR_ACCESS);
            SVM_CR[16 + cr] = ExitReasons.register(ExitSource.SVM, SVM_CR_WRITE_BASE + cr, "VMEXIT_CR" + cr + "_WRITE",
                    ExitCategory.CR_ACCESS);
        }
        for (X86ExitKind k : values()) {
            k.vmx = ExitReasons.register(ExitSource.VMX, k.vmxCode, k.vmxName, k.category);
            k.svm = switch (k) {
                case EXCEPTION -> SVM_EXCEPTION[0];
                case CR_ACCESS -> SVM_CR[0];
                default -> ExitReasons.register(ExitSource.SVM, k.svmCode, k.svmName, k.category);
            };
        }
        X86ExitDecoder.install();
    }

    /** VMEXIT_EXCP_xx for an exception vector (0-31). */
    public static ExitReason svmExceptionReason(int vector) {
        return SVM_EXCEPTION[vector & 31];
    }

    /** Makes sure every x86 reason is registered (class initialisation does it). */
    public static void registerAll() {
        // the static initialiser has run when this returns
    }

    public ExitReason vmxReason() {
        return vmx;
    }

    /** The SVM reason; for {@link #CR_ACCESS} use {@link #svmCrReason}. */
    public ExitReason svmReason() {
        return svm;
    }

    public ExitReason reason(boolean amd) {
        return amd ? svm : vmx;
    }

    /** VMEXIT_CRn_READ or VMEXIT_CRn_WRITE. */
    public static ExitReason svmCrReason(int cr, boolean write) {
        return SVM_CR[(write ? 16 : 0) + (cr & 15)];
    }

    /** The kind a registered VMX or SVM reason belongs to, or null. */
    public static X86ExitKind of(ExitReason r) {
        if (r.source() == ExitSource.SVM && r.code() < 0x20) {
            return CR_ACCESS;
        }
        for (X86ExitKind k : values()) {
            if (r == k.vmx || r == k.svm) {
                return k;
            }
        }
        if (r.source() == ExitSource.SVM && r.code() >= 0x40 && r.code() < 0x60) {
            return EXCEPTION;
        }
        return null;
    }
}
