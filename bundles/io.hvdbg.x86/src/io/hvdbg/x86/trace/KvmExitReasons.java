/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.trace;

import java.util.HashMap;
import java.util.Map;

import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.x86.exit.X86ExitKind;

/**
 * The exit-reason names the Linux kvm:kvm_exit tracepoint prints: {@code VMX_EXIT_REASONS}
 * (arch/x86/include/uapi/asm/vmx.h, e.g. {@code EPT_VIOLATION}) and {@code SVM_EXIT_REASONS}
 * (arch/x86/include/uapi/asm/svm.h, e.g. {@code npf}, {@code io}, {@code PF excp}), mapped to
 * the registered {@link ExitReason}s. Codes the x86 core already registers ({@link X86ExitKind})
 * are reused as they are; the rest are registered here with the vendor's name and a category.
 */
public final class KvmExitReasons {
    private static final Map<String, ExitReason> VMX_BY_TRACE_NAME = new HashMap<>();
    private static final Map<String, ExitReason> SVM_BY_TRACE_NAME = new HashMap<>();

    /** Vector mnemonics as SVM_EXIT_REASONS spells them ("PF excp"); 19 is XM_VECTOR, printed "XF". */
    private static final String[] VECTORS = {"DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "09", "TS", "NP",
        "SS", "GP", "PF", "15", "MF", "AC", "MC", "XF"};

    private KvmExitReasons() {
    }

    static {
        X86ExitKind.registerAll();
        registerVmx();
        registerSvm();
    }

    /** The VMX reason the kernel prints as {@code name} (e.g. {@code EXTERNAL_INTERRUPT}), or null. */
    public static ExitReason vmx(String name) {
        return VMX_BY_TRACE_NAME.get(name);
    }

    /** The SVM reason the kernel prints as {@code name} (e.g. {@code npf}, {@code PF excp}), or null. */
    public static ExitReason svm(String name) {
        return SVM_BY_TRACE_NAME.get(name);
    }

    /**
     * The reason for a numeric code the kernel printed because its table has no name for it
     * ({@code __print_symbolic} falls back to hex). Unknown codes are registered as
     * {@code EXIT_REASON_0x..} / {@code VMEXIT_0x..} / {@code KVM_EXIT_0x..} in category OTHER.
     */
    public static ExitReason byCode(ExitSource source, long code) {
        ExitReason r = ExitReasons.find(source, code);
        if (r != null) {
            return r;
        }
        String prefix = switch (source) {
            case VMX -> "EXIT_REASON_";
            case SVM -> "VMEXIT_";
            default -> "KVM_EXIT_";
        };
        return ExitReasons.register(source, code, prefix + "0x" + Long.toHexString(code), ExitCategory.OTHER);
    }

    private static void vmx(int code, String traceName, ExitCategory category) {
        ExitReason r = ExitReasons.find(ExitSource.VMX, code);
        if (r == null) {
            r = ExitReasons.register(ExitSource.VMX, code, "EXIT_REASON_" + traceName, category);
        }
        VMX_BY_TRACE_NAME.put(traceName, r);
    }

    private static void svm(long code, String traceName, String vendorName, ExitCategory category) {
        ExitReason r = ExitReasons.find(ExitSource.SVM, code);
        if (r == null) {
            r = ExitReasons.register(ExitSource.SVM, code, vendorName, category);
        }
        SVM_BY_TRACE_NAME.put(traceName, r);
    }

    private static void registerVmx() {
        ExitCategory o = ExitCategory.OTHER;
        vmx(0, "EXCEPTION_NMI", ExitCategory.EXCEPTION);
        vmx(1, "EXTERNAL_INTERRUPT", ExitCategory.EXTERNAL_INTERRUPT);
        vmx(2, "TRIPLE_FAULT", ExitCategory.SHUTDOWN);
        vmx(3, "INIT_SIGNAL", o);
        vmx(4, "SIPI_SIGNAL", o);
        vmx(7, "INTERRUPT_WINDOW", ExitCategory.INTERRUPT_WINDOW);
        vmx(8, "NMI_WINDOW", ExitCategory.INTERRUPT_WINDOW);
        vmx(9, "TASK_SWITCH", ExitCategory.TASK_SWITCH);
        vmx(10, "CPUID", ExitCategory.CPUID);
        vmx(12, "HLT", ExitCategory.HALT);
        vmx(13, "INVD", ExitCategory.CACHE_INVAL);
        vmx(14, "INVLPG", ExitCategory.TLB_INVAL);
        vmx(15, "RDPMC", o);
        vmx(16, "RDTSC", o);
        vmx(18, "VMCALL", ExitCategory.HYPERCALL);
        String[] vmxInstructions = {"VMCLEAR", "VMLAUNCH", "VMPTRLD", "VMPTRST", "VMREAD", "VMRESUME", "VMWRITE",
            "VMOFF", "VMON"};
        for (int i = 0; i < vmxInstructions.length; i++) {
            vmx(19 + i, vmxInstructions[i], o);
        }
        vmx(28, "CR_ACCESS", ExitCategory.CR_ACCESS);
        vmx(29, "DR_ACCESS", ExitCategory.DR_ACCESS);
        vmx(30, "IO_INSTRUCTION", ExitCategory.IO);
        vmx(31, "MSR_READ", ExitCategory.MSR);
        vmx(32, "MSR_WRITE", ExitCategory.MSR);
        vmx(33, "INVALID_STATE", o);
        vmx(34, "MSR_LOAD_FAIL", o);
        vmx(36, "MWAIT_INSTRUCTION", o);
        vmx(37, "MONITOR_TRAP_FLAG", o);
        vmx(39, "MONITOR_INSTRUCTION", o);
        vmx(40, "PAUSE_INSTRUCTION", ExitCategory.PAUSE);
        vmx(41, "MCE_DURING_VMENTRY", o);
        vmx(43, "TPR_BELOW_THRESHOLD", o);
        // APIC virtualisation: accesses to the APIC page are the device accesses of VMX guests.
        vmx(44, "APIC_ACCESS", ExitCategory.MMIO);
        vmx(45, "EOI_INDUCED", o);
        vmx(46, "GDTR_IDTR", o);
        vmx(47, "LDTR_TR", o);
        vmx(48, "EPT_VIOLATION", ExitCategory.NESTED_PAGE_FAULT);
        // KVM marks MMIO pages with misconfigured EPT entries, so these are its MMIO exits.
        vmx(49, "EPT_MISCONFIG", ExitCategory.MMIO);
        vmx(50, "INVEPT", o);
        vmx(51, "RDTSCP", o);
        vmx(52, "PREEMPTION_TIMER", o);
        vmx(53, "INVVPID", o);
        vmx(54, "WBINVD", ExitCategory.CACHE_INVAL);
        vmx(55, "XSETBV", ExitCategory.XSETBV);
        vmx(56, "APIC_WRITE", ExitCategory.MMIO);
        vmx(57, "RDRAND", o);
        vmx(58, "INVPCID", ExitCategory.TLB_INVAL);
        vmx(59, "VMFUNC", o);
        vmx(60, "ENCLS", o);
        vmx(61, "RDSEED", o);
        vmx(62, "PML_FULL", o);
        vmx(63, "XSAVES", o);
        vmx(64, "XRSTORS", o);
        vmx(67, "UMWAIT", o);
        vmx(68, "TPAUSE", o);
        vmx(74, "BUS_LOCK", o);
        vmx(75, "NOTIFY", o);
        vmx(77, "TDCALL", ExitCategory.TDCALL);
    }

    private static void registerSvm() {
        ExitCategory o = ExitCategory.OTHER;
        for (int n = 0; n < 16; n++) {
            svm(n, "read_cr" + n, "VMEXIT_CR" + n + "_READ", ExitCategory.CR_ACCESS);
            svm(0x10 + n, "write_cr" + n, "VMEXIT_CR" + n + "_WRITE", ExitCategory.CR_ACCESS);
            svm(0x20 + n, "read_dr" + n, "VMEXIT_DR" + n + "_READ", ExitCategory.DR_ACCESS);
            svm(0x30 + n, "write_dr" + n, "VMEXIT_DR" + n + "_WRITE", ExitCategory.DR_ACCESS);
        }
        for (int v = 0; v < VECTORS.length; v++) {
            svm(0x40 + v, VECTORS[v] + " excp", "VMEXIT_EXCP_" + VECTORS[v], ExitCategory.EXCEPTION);
        }
        svm(0x60, "interrupt", "VMEXIT_INTR", ExitCategory.EXTERNAL_INTERRUPT);
        svm(0x61, "nmi", "VMEXIT_NMI", ExitCategory.EXTERNAL_INTERRUPT);
        svm(0x62, "smi", "VMEXIT_SMI", o);
        svm(0x63, "init", "VMEXIT_INIT", o);
        svm(0x64, "vintr", "VMEXIT_VINTR", ExitCategory.INTERRUPT_WINDOW);
        svm(0x65, "cr0_sel_write", "VMEXIT_CR0_SEL_WRITE", ExitCategory.CR_ACCESS);
        svm(0x66, "read_idtr", "VMEXIT_IDTR_READ", o);
        svm(0x67, "read_gdtr", "VMEXIT_GDTR_READ", o);
        svm(0x68, "read_ldtr", "VMEXIT_LDTR_READ", o);
        svm(0x69, "read_rt", "VMEXIT_TR_READ", o); // sic: the kernel's table says "rt"
        svm(0x6a, "write_idtr", "VMEXIT_IDTR_WRITE", o);
        svm(0x6b, "write_gdtr", "VMEXIT_GDTR_WRITE", o);
        svm(0x6c, "write_ldtr", "VMEXIT_LDTR_WRITE", o);
        svm(0x6d, "write_rt", "VMEXIT_TR_WRITE", o);
        svm(0x6e, "rdtsc", "VMEXIT_RDTSC", o);
        svm(0x6f, "rdpmc", "VMEXIT_RDPMC", o);
        svm(0x70, "pushf", "VMEXIT_PUSHF", o);
        svm(0x71, "popf", "VMEXIT_POPF", o);
        svm(0x72, "cpuid", "VMEXIT_CPUID", ExitCategory.CPUID);
        svm(0x73, "rsm", "VMEXIT_RSM", o);
        // KVM intercepts IRET on SVM only to open the NMI window: the same category as VMX's NMI_WINDOW.
        svm(0x74, "iret", "VMEXIT_IRET", ExitCategory.INTERRUPT_WINDOW);
        svm(0x75, "swint", "VMEXIT_SWINT", o);
        svm(0x76, "invd", "VMEXIT_INVD", ExitCategory.CACHE_INVAL);
        svm(0x77, "pause", "VMEXIT_PAUSE", ExitCategory.PAUSE);
        svm(0x78, "hlt", "VMEXIT_HLT", ExitCategory.HALT);
        svm(0x79, "invlpg", "VMEXIT_INVLPG", ExitCategory.TLB_INVAL);
        svm(0x7a, "invlpga", "VMEXIT_INVLPGA", ExitCategory.TLB_INVAL);
        svm(0x7b, "io", "VMEXIT_IOIO", ExitCategory.IO);
        svm(0x7c, "msr", "VMEXIT_MSR", ExitCategory.MSR);
        svm(0x7d, "task_switch", "VMEXIT_TASK_SWITCH", ExitCategory.TASK_SWITCH);
        svm(0x7e, "ferr_freeze", "VMEXIT_FERR_FREEZE", o);
        svm(0x7f, "shutdown", "VMEXIT_SHUTDOWN", ExitCategory.SHUTDOWN);
        svm(0x80, "vmrun", "VMEXIT_VMRUN", o);
        svm(0x81, "hypercall", "VMEXIT_VMMCALL", ExitCategory.HYPERCALL);
        svm(0x82, "vmload", "VMEXIT_VMLOAD", o);
        svm(0x83, "vmsave", "VMEXIT_VMSAVE", o);
        svm(0x84, "stgi", "VMEXIT_STGI", o);
        svm(0x85, "clgi", "VMEXIT_CLGI", o);
        svm(0x86, "skinit", "VMEXIT_SKINIT", o);
        svm(0x87, "rdtscp", "VMEXIT_RDTSCP", o);
        svm(0x88, "icebp", "VMEXIT_ICEBP", o);
        svm(0x89, "wbinvd", "VMEXIT_WBINVD", ExitCategory.CACHE_INVAL);
        svm(0x8a, "monitor", "VMEXIT_MONITOR", o);
        svm(0x8b, "mwait", "VMEXIT_MWAIT", o);
        svm(0x8c, "mwait_cond", "VMEXIT_MWAIT_CONDITIONAL", o);
        svm(0x8d, "xsetbv", "VMEXIT_XSETBV", ExitCategory.XSETBV);
        svm(0x8e, "rdpru", "VMEXIT_RDPRU", o);
        svm(0x8f, "write_efer_trap", "VMEXIT_EFER_WRITE_TRAP", o);
        for (int n = 0; n < 16; n++) {
            svm(0x90 + n, "write_cr" + n + "_trap", "VMEXIT_CR" + n + "_WRITE_TRAP", ExitCategory.CR_ACCESS);
        }
        svm(0xa2, "invpcid", "VMEXIT_INVPCID", ExitCategory.TLB_INVAL);
        svm(0xa5, "buslock", "VMEXIT_BUSLOCK", o);
        svm(0xa6, "idle-halt", "VMEXIT_IDLE_HLT", ExitCategory.HALT);
        svm(0x400, "npf", "VMEXIT_NPF", ExitCategory.NESTED_PAGE_FAULT);
        svm(0x401, "avic_incomplete_ipi", "VMEXIT_AVIC_INCOMPLETE_IPI", o);
        svm(0x402, "avic_unaccelerated_access", "VMEXIT_AVIC_NOACCEL", ExitCategory.MMIO);
        svm(0x403, "vmgexit", "VMEXIT_VMGEXIT", ExitCategory.HYPERCALL);
        svm(0x8000_0001L, "vmgexit_mmio_read", "VMGEXIT_MMIO_READ", ExitCategory.MMIO);
        svm(0x8000_0002L, "vmgexit_mmio_write", "VMGEXIT_MMIO_WRITE", ExitCategory.MMIO);
        svm(0x8000_0003L, "vmgexit_nmi_complete", "VMGEXIT_NMI_COMPLETE", o);
        svm(0x8000_0004L, "vmgexit_ap_hlt_loop", "VMGEXIT_AP_HLT_LOOP", ExitCategory.HALT);
        svm(0x8000_0005L, "vmgexit_ap_jump_table", "VMGEXIT_AP_JUMP_TABLE", o);
        // SVM_EXIT_ERR is -1 in a 32-bit exit_reason field.
        svm(0xFFFF_FFFFL, "invalid_guest_state", "VMEXIT_INVALID", o);
    }
}
