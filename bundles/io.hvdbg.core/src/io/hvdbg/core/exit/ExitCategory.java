/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

/**
 * Architecture-neutral kind of a VM exit. Every vendor-native exit reason maps to exactly one
 * category, so that a breakpoint on {@link #CPUID} means the same on Intel and AMD, and
 * {@link #HALT} covers both x86 HLT and RISC-V WFI.
 */
public enum ExitCategory {
    CPUID("CPUID instruction"),
    HALT("HLT / WFI: the vCPU waits for an interrupt"),
    IO("port I/O (IN/OUT/INS/OUTS)"),
    MMIO("access to guest-physical memory that is a device, not RAM"),
    MSR("RDMSR/WRMSR"),
    CR_ACCESS("control register access"),
    DR_ACCESS("debug register access"),
    TLB_INVAL("TLB invalidation (INVLPG, INVPCID, trapped fences)"),
    HYPERCALL("call into the hypervisor (VMCALL/VMMCALL, SBI ecall)"),
    EXCEPTION("guest exception intercepted by the hypervisor"),
    EXTERNAL_INTERRUPT("host/external interrupt while the guest ran"),
    INTERRUPT_WINDOW("the guest became able to take an interrupt"),
    NESTED_PAGE_FAULT("EPT violation / NPF / G-stage fault on unmapped guest memory"),
    VIRTUAL_INSTRUCTION("instruction the hypervisor emulates (RISC-V virtual instruction)"),
    PAUSE("PAUSE / pause-loop exiting"),
    XSETBV("XSETBV"),
    CACHE_INVAL("WBINVD / INVD"),
    TASK_SWITCH("task switch"),
    TDCALL("TDX guest TDG.VP.VMCALL"),
    SHUTDOWN("triple fault / system reset or shutdown request"),
    OTHER("other exit");

    private final String description;

    ExitCategory(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Looks a category up by name, case-insensitively; aliases WFI, HLT, SBI, VMCALL, EPT, NPF are understood. */
    public static ExitCategory parse(String name) {
        String n = name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        switch (n) {
            case "HLT", "WFI" -> { return HALT; }
            case "SBI", "VMCALL", "VMMCALL", "ECALL" -> { return HYPERCALL; }
            case "EPT", "NPF", "EPT_VIOLATION", "GSTAGE", "G_STAGE" -> { return NESTED_PAGE_FAULT; }
            case "TRIPLE_FAULT", "SRST" -> { return SHUTDOWN; }
            case "INVLPG" -> { return TLB_INVAL; }
            case "TDVMCALL" -> { return TDCALL; }
            default -> { }
        }
        for (ExitCategory c : values()) {
            if (c.name().equals(n)) {
                return c;
            }
        }
        return null;
    }
}
