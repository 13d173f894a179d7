/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.hvdbg.core.vcpu.RegisterDescriptor;

/**
 * Sorts the registers of a target description into the groups the Registers view shows:
 * x86 general, segment, control/system, MSR (then x87 and vector); RISC-V general, floating
 * point, CSR, hypervisor CSR. Other targets keep the description's own groups. Works from
 * names, groups and features only, so QEMU's descriptions group the same way as hvdbg's.
 */
public final class RegisterGroups {
    public static final String GENERAL = "General";
    public static final String SEGMENT = "Segment";
    public static final String CONTROL = "Control/System";
    public static final String MSR = "MSR";
    public static final String FLOAT = "Floating point";
    public static final String VECTOR = "Vector";
    public static final String CSR = "CSR";
    public static final String HYPERVISOR_CSR = "Hypervisor CSR";

    private static final Set<String> X86_SEGMENTS = Set.of("cs", "ss", "ds", "es", "fs", "gs", "fs_base", "gs_base",
            "k_gs_base", "ldtr", "tr", "gdtr", "idtr");
    /** MSRs some descriptions list as plain registers (efer is IA32_EFER, 0xc0000080). */
    private static final Set<String> X86_MSRS = Set.of("efer", "star", "lstar", "cstar", "fmask", "kernel_gs_base",
            "tsc_aux", "pat", "apic_base", "sysenter_cs", "sysenter_esp", "sysenter_eip");

    private RegisterGroups() {
    }

    /** The groups in display order; empty groups are left out. */
    public static Map<String, List<RegisterDescriptor>> of(String architecture, List<RegisterDescriptor> registers) {
        Map<String, List<RegisterDescriptor>> groups = new LinkedHashMap<>();
        boolean x86 = isX86(architecture, registers);
        boolean riscv = !x86 && isRiscv(architecture, registers);
        if (x86) {
            for (String g : List.of(GENERAL, SEGMENT, CONTROL, MSR, FLOAT, VECTOR)) {
                groups.put(g, new ArrayList<>());
            }
        } else if (riscv) {
            for (String g : List.of(GENERAL, FLOAT, CSR, HYPERVISOR_CSR)) {
                groups.put(g, new ArrayList<>());
            }
        }
        for (RegisterDescriptor r : registers) {
            String g = x86 ? x86Group(r) : riscv ? riscvGroup(r) : ownGroup(r);
            groups.computeIfAbsent(g, k -> new ArrayList<>()).add(r);
        }
        groups.values().removeIf(List::isEmpty);
        return groups;
    }

    static boolean isX86(String architecture, List<RegisterDescriptor> registers) {
        String a = architecture == null ? "" : architecture.toLowerCase(Locale.ROOT);
        if (a.contains("x86") || a.contains("i386")) {
            return true;
        }
        return a.isEmpty() && registers.stream().anyMatch(r -> r.name().equals("rip") || r.name().equals("eip"));
    }

    static boolean isRiscv(String architecture, List<RegisterDescriptor> registers) {
        String a = architecture == null ? "" : architecture.toLowerCase(Locale.ROOT);
        if (a.contains("riscv")) {
            return true;
        }
        return a.isEmpty() && registers.stream().anyMatch(r -> r.feature().startsWith("org.gnu.gdb.riscv"));
    }

    private static String x86Group(RegisterDescriptor r) {
        String n = r.name().toLowerCase(Locale.ROOT);
        String f = r.feature().toLowerCase(Locale.ROOT);
        if (X86_SEGMENTS.contains(n)) {
            return SEGMENT;
        }
        if (X86_MSRS.contains(n) || n.startsWith("msr") || n.startsWith("ia32_") || f.contains("msr")) {
            return MSR;
        }
        if (n.matches("[cd]r\\d+") || n.equals("xcr0") || "system".equals(r.group())) {
            return CONTROL;
        }
        if ("float".equals(r.group()) || n.matches("st\\d")) {
            return FLOAT;
        }
        if ("vector".equals(r.group()) || n.startsWith("xmm") || n.startsWith("ymm") || n.startsWith("zmm")
                || n.equals("mxcsr") || f.contains("sse") || f.contains("avx")) {
            return VECTOR;
        }
        return GENERAL;
    }

    private static String riscvGroup(RegisterDescriptor r) {
        String n = r.name().toLowerCase(Locale.ROOT);
        String f = r.feature().toLowerCase(Locale.ROOT);
        if ("float".equals(r.group()) || f.endsWith(".fpu")) {
            return FLOAT;
        }
        if ("csr".equals(r.group()) || f.endsWith(".csr")) {
            // H extension: the hypervisor's own CSRs (h*) and the VS-mode copies (vs*).
            boolean hypervisor = n.startsWith("h") || n.startsWith("vs") && !n.equals("vstart");
            return hypervisor ? HYPERVISOR_CSR : CSR;
        }
        return GENERAL;
    }

    private static String ownGroup(RegisterDescriptor r) {
        String g = r.group() == null || r.group().isEmpty() ? "general" : r.group();
        return Character.toUpperCase(g.charAt(0)) + g.substring(1);
    }
}
