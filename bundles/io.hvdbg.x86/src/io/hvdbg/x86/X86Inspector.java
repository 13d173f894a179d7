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
import io.hvdbg.core.inspect.LastExitRows;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.x86.cpu.X86Vcpu;
import io.hvdbg.x86.cpuid.CpuidFeatures;
import io.hvdbg.x86.cpuid.CpuidTable;
import io.hvdbg.x86.cpuid.VcpuCpuid;

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
        rows.addAll(LastExitRows.of(v.currentExit(), v.index()));
        return rows;
    }

    static FeatureReport features(X86Vcpu v) {
        if (!(v.cpuidProvider() instanceof VcpuCpuid c)) {
            return new FeatureReport("x86 CPUID of vCPU " + v.index(), List.of(), List.of());
        }
        int apicId = v.apic().id();
        List<CpuidEntry> entries = new ArrayList<>();
        java.util.Set<Long> seen = new java.util.TreeSet<>(Long::compareUnsigned);
        for (CpuidTable t : List.of(c.supported(), c.requested())) {
            for (long[] k : t.keys()) {
                seen.add(k[0] << 32 | k[1]);
            }
        }
        for (long key : seen) {
            int leaf = (int) (key >>> 32), sub = (int) key;
            entries.add(new CpuidEntry(leaf & 0xFFFF_FFFFL, sub & 0xFFFF_FFFFL, c.view(0, leaf, sub, v.cr4, apicId),
                    c.view(1, leaf, sub, v.cr4, apicId), c.view(2, leaf, sub, v.cr4, apicId)));
        }
        List<FeatureBit> bits = new ArrayList<>();
        for (CpuidFeatures.Word w : CpuidFeatures.words()) {
            int[] s = c.view(0, w.leaf(), w.subleaf(), v.cr4, apicId);
            int[] r = c.view(1, w.leaf(), w.subleaf(), v.cr4, apicId);
            int[] e = c.view(2, w.leaf(), w.subleaf(), v.cr4, apicId);
            for (int bit = 0; bit < 32; bit++) {
                int m = 1 << bit;
                boolean any = ((s[w.reg()] | r[w.reg()] | e[w.reg()]) & m) != 0;
                if (w.names()[bit] == null && !any) {
                    continue; // reserved and clear everywhere
                }
                bits.add(new FeatureBit(w.label(), bit, CpuidFeatures.name(w.leaf(), w.subleaf(), w.reg(), bit),
                        (s[w.reg()] & m) != 0, (r[w.reg()] & m) != 0, (e[w.reg()] & m) != 0));
            }
        }
        String dropped = c.dropped().isEmpty() ? "" : "; not supported, dropped: " + String.join(" ", c.dropped());
        return new FeatureReport("x86 CPUID of vCPU " + v.index() + " (" + (v.amd() ? "AMD" : "Intel") + ", model "
                + c.model() + dropped + ")", entries, bits);
    }
}
