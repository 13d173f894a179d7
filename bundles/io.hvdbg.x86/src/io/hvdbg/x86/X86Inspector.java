/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import java.util.ArrayList;
import java.util.List;

import io.hvdbg.core.inspect.CpuidEntry;
import io.hvdbg.core.inspect.FeatureBit;
import io.hvdbg.core.inspect.FeatureReport;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.x86.cpu.X86Vcpu;

/** The vCPU system state and CPUID as the views and {@code monitor} commands show them. */
final class X86Inspector {
    private X86Inspector() {
    }

    private static final String[] CR0_BITS = {"PE", "MP", "EM", "TS", "ET", "NE", null, null, null, null, null, null,
        null, null, null, null, "WP", null, "AM", null, null, null, null, null, null, null, null, null, null, "NW", "CD",
        "PG"};
    private static final String[] CR4_BITS = {"VME", "PVI", "TSD", "DE", "PSE", "PAE", "MCE", "PGE", "PCE", "OSFXSR",
        "OSXMMEXCPT", "UMIP", "LA57", "VMXE", "SMXE", null, "FSGSBASE", "PCIDE", "OSXSAVE", "KL", "SMEP", "SMAP", "PKE"};
    private static final String[] EFER_BITS = {"SCE", null, null, null, null, null, null, null, "LME", null, "LMA", "NXE",
        "SVME"};
    private static final String[] FLAG_BITS = {"CF", null, "PF", null, "AF", null, "ZF", "SF", "TF", "IF", "DF", "OF",
        null, null, "NT", null, "RF", "VM", "AC", "VIF", "VIP", "ID"};

    static String bits(long v, String[] names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null && (v & (1L << i)) != 0) {
                sb.append(sb.length() == 0 ? "" : " ").append(names[i]);
            }
        }
        return sb.toString();
    }

    static List<StateRow> state(X86Vcpu v) {
        List<StateRow> rows = new ArrayList<>();
        rows.add(new StateRow("mode", "state", v.codeMode(), v.describeState()));
        rows.add(new StateRow("mode", "cpl", v.cpl(), "ring " + v.cpl()));
        rows.add(new StateRow("control", "cr0", v.cr0, bits(v.cr0, CR0_BITS)));
        rows.add(new StateRow("control", "cr2", v.cr2, "last page-fault address"));
        rows.add(new StateRow("control", "cr3", v.cr3, String.format("page-table root 0x%x", v.cr3 & 0x000F_FFFF_FFFF_F000L)));
        rows.add(new StateRow("control", "cr4", v.cr4, bits(v.cr4, CR4_BITS)));
        rows.add(new StateRow("control", "cr8", v.cr8, "task priority"));
        rows.add(new StateRow("control", "efer", v.efer, bits(v.efer, EFER_BITS)));
        rows.add(new StateRow("control", "rflags", v.flags(), bits(v.flags(), FLAG_BITS)));
        rows.add(new StateRow("tables", "gdtr", v.gdtBase, String.format("limit 0x%x", v.gdtLimit)));
        rows.add(new StateRow("tables", "idtr", v.idtBase, String.format("limit 0x%x", v.idtLimit)));
        rows.add(new StateRow("tables", "tr", v.trSel, String.format("base 0x%x limit 0x%x", v.trBase, v.trLimit)));
        rows.add(new StateRow("tables", "ldtr", v.ldtSel, String.format("base 0x%x", v.ldtBase)));
        String[] seg = {"es", "cs", "ss", "ds", "fs", "gs"};
        for (int s = 0; s < 6; s++) {
            rows.add(new StateRow("segments", seg[s], v.segSel[s], String.format("base 0x%x attributes 0x%x", v.segBase[s],
                    v.segAttr[s])));
        }
        rows.add(new StateRow("msr", "kernel_gs_base", v.kernelGsBase, ""));
        rows.add(new StateRow("msr", "star", v.star, ""));
        rows.add(new StateRow("msr", "lstar", v.lstar, ""));
        rows.add(new StateRow("msr", "xcr0", v.xcr0, "x87" + ((v.xcr0 & 2) != 0 ? " SSE" : "")));
        rows.add(new StateRow("apic", "apic_base", v.apic().apicBaseMsr(), v.apic().x2apic() ? "x2APIC" : "xAPIC"));
        long d = v.apic().deadline();
        rows.add(new StateRow("apic", "timer_deadline", d == Long.MAX_VALUE ? -1 : d,
                d == Long.MAX_VALUE ? "not armed" : "guest ns"));
        rows.add(new StateRow("counters", "exceptions", v.exceptionsDelivered(), "delivered through the IDT"));
        rows.add(new StateRow("counters", "interrupts", v.interruptsTaken(), "external interrupts taken"));
        rows.add(new StateRow("counters", "decodes", v.decodes(), "decode-cache misses"));
        return rows;
    }

    private static final long[] LEAVES = {0, 1, 7, 0xB, 0xD, 0x40000000L, 0x80000000L, 0x80000001L, 0x80000008L};

    private record Named(long leaf, int reg, int bit, String name) {
    }

    private static final Named[] NAMED = {
        new Named(1, 3, 0, "fpu"), new Named(1, 3, 4, "tsc"), new Named(1, 3, 5, "msr"), new Named(1, 3, 6, "pae"),
        new Named(1, 3, 8, "cx8"), new Named(1, 3, 9, "apic"), new Named(1, 3, 13, "pge"), new Named(1, 3, 15, "cmov"),
        new Named(1, 3, 24, "fxsr"), new Named(1, 3, 25, "sse"), new Named(1, 3, 26, "sse2"),
        new Named(1, 2, 13, "cx16"), new Named(1, 2, 21, "x2apic"), new Named(1, 2, 23, "popcnt"),
        new Named(1, 2, 24, "tsc-deadline"), new Named(1, 2, 26, "xsave"), new Named(1, 2, 27, "osxsave"),
        new Named(1, 2, 31, "hypervisor"), new Named(7, 1, 7, "smep"), new Named(7, 1, 10, "invpcid"),
        new Named(7, 1, 20, "smap"), new Named(0x80000001L, 3, 11, "syscall"), new Named(0x80000001L, 3, 20, "nx"),
        new Named(0x80000001L, 3, 27, "rdtscp"), new Named(0x80000001L, 3, 29, "lm"),
    };

    static FeatureReport features(X86Vcpu v) {
        List<CpuidEntry> entries = new ArrayList<>();
        int[] out = new int[4];
        for (long leaf : LEAVES) {
            v.cpuidProvider().cpuid((int) leaf, 0, v.cr4, v.apic().id(), out);
            int[] copy = out.clone();
            entries.add(new CpuidEntry(leaf, 0, copy, copy, copy));
        }
        List<FeatureBit> bits = new ArrayList<>();
        for (Named n : NAMED) {
            v.cpuidProvider().cpuid((int) n.leaf, 0, v.cr4, v.apic().id(), out);
            boolean on = (out[n.reg] & (1 << n.bit)) != 0;
            String group = String.format("CPUID 0x%x %s", n.leaf, new String[] {"EAX", "EBX", "ECX", "EDX"}[n.reg]);
            bits.add(new FeatureBit(group, n.bit, n.name, on, on, on));
        }
        return new FeatureReport("x86 CPUID of vCPU " + v.index() + " (" + (v.amd() ? "AMD" : "Intel") + ")", entries, bits);
    }
}
