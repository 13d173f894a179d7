/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.monitor;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.Vcpu;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.core.inspect.CpuidEntry;
import io.hvdbg.core.inspect.FeatureBit;
import io.hvdbg.core.inspect.FeatureReport;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.core.tlb.FlushRecord;
import io.hvdbg.core.tlb.TlbEntry;
import io.hvdbg.core.tlb.TlbModel;
import io.hvdbg.core.vcpu.GuestStateProtectedException;
import io.hvdbg.rsp.server.GdbSession;

/** Monitor commands that inspect a vCPU: cpuid, isa, tlb, vcpu. */
final class InspectCommands {
    private static final int TLB_HISTORY = 16;

    private InspectCommands() {
    }

    static void install(Monitor m) {
        m.add(new MonitorCommand("cpuid", "cpuid [LEAF [SUBLEAF]] [--vcpu V]",
                "x86 CPUID as supported by the core, requested by the configuration, and effective for the vCPU",
                false, InspectCommands::cpuid));
        m.add(new MonitorCommand("isa", "isa [--vcpu V]",
                "RISC-V ISA extensions: supported, requested, effective (Zabha, Svvptc, Ziccrse …)", false,
                InspectCommands::isa));
        m.add(new MonitorCommand("tlb", "tlb [VCPU]",
                "TLB entries, hit/miss counts, flushes by cause and recent flush history", false,
                InspectCommands::tlb));
        m.add(new MonitorCommand("vcpu", "vcpu [VCPU]", "system state of a vCPU, including its last exit", false,
                InspectCommands::vcpu));
    }

    /** The vCPU a command is about: --vcpu V, else the one gdb has selected. */
    private static int selectedVcpu(GdbSession s, MonitorArgs a, String command) {
        String v = a.takeOption("vcpu");
        return v == null ? s.generalVcpu() : ExitCommands.vcpuArg(s, command, v);
    }

    private static void cpuid(GdbSession s, MonitorArgs a, StringBuilder out) {
        int vcpu = selectedVcpu(s, a, "cpuid");
        a.rejectUnknownOptions();
        a.maxWords(2, "cpuid [LEAF [SUBLEAF]] [--vcpu V]");
        if (s.vm().architecture() != Architecture.X86_64) {
            throw new IllegalArgumentException("cpuid: this is a " + s.vm().architecture().cliName()
                    + " VM, which has no CPUID; see 'monitor isa'");
        }
        FeatureReport r = s.vm().features(vcpu);
        if (r == null) {
            throw new IllegalStateException("cpuid: this core does not model CPUID");
        }
        long leaf = a.size() >= 1 ? a.number(0, "leaf") : -1;
        long sub = a.size() >= 2 ? a.number(1, "subleaf") : -1;
        out.append(r.title()).append('\n');
        out.append(String.format("%-10s %-4s %-9s %-8s %-8s %-8s %-8s%n", "leaf", "sub", "view", "eax", "ebx", "ecx",
                "edx"));
        int shown = 0;
        for (CpuidEntry e : r.entries()) {
            if ((leaf >= 0 && e.leaf() != leaf) || (sub >= 0 && e.subleaf() != sub)) {
                continue;
            }
            shown++;
            row(out, e, "supported", e.supported());
            row(out, e, "requested", e.requested());
            row(out, e, "effective", e.effective());
        }
        if (shown == 0) {
            out.append(leaf >= 0 ? String.format("(no entry for leaf 0x%x%s: reads as zeros or the highest basic leaf)%n",
                    leaf, sub >= 0 ? String.format(" subleaf 0x%x", sub) : "") : "(no entries)\n");
        }
        List<FeatureBit> bits = r.bits().stream().filter(b -> leaf < 0 || mentionsLeaf(b.group(), leaf)).toList();
        if (!bits.isEmpty()) {
            out.append(String.format("%nfeature bits (S = supported, R = requested, E = effective):%n"));
            String group = null;
            for (FeatureBit b : bits) {
                if (!b.group().equals(group)) {
                    group = b.group();
                    out.append("  ").append(group).append('\n');
                }
                out.append(String.format("    %-3s %-20s %s%s%s%s%n", b.bit() >= 0 ? String.valueOf(b.bit()) : "",
                        b.name(), b.supported() ? "S" : "-", b.requested() ? "R" : "-", b.effective() ? "E" : "-",
                        b.requested() && !b.supported() ? "  (requested but not supported)"
                                : b.supported() && b.requested() != b.effective() ? "  (differs from request)" : ""));
            }
        }
    }

    private static void row(StringBuilder out, CpuidEntry e, String view, int[] r) {
        out.append(String.format("0x%08x %-4s %-9s %08x %08x %08x %08x%n", e.leaf(),
                Long.toHexString(e.subleaf()), view, r[0], r[1], r[2], r[3]));
    }

    /**
     * True if a feature group names the leaf: {@code CPUID.(EAX=07H,ECX=0):EBX} (the SDM's
     * notation), {@code CPUID.(EAX=0x7…)}, or the first hex number in it, as in
     * {@code CPUID 0x7 EBX} or {@code 0x7}.
     */
    static boolean mentionsLeaf(String group, long leaf) {
        String g = group.toUpperCase(Locale.ROOT);
        int eax = g.indexOf("EAX=");
        int p = eax >= 0 ? eax + 4 : g.indexOf("0X");
        if (p < 0) {
            return false;
        }
        if (g.startsWith("0X", p)) {
            p += 2;
        }
        int start = p;
        while (p < g.length() && p - start < 16 && Character.digit(g.charAt(p), 16) >= 0) {
            p++;
        }
        return p > start && Long.parseUnsignedLong(g.substring(start, p), 16) == leaf;
    }

    private static void isa(GdbSession s, MonitorArgs a, StringBuilder out) {
        int vcpu = selectedVcpu(s, a, "isa");
        a.rejectUnknownOptions();
        a.maxWords(0, "isa [--vcpu V]");
        if (s.vm().architecture() != Architecture.RISCV64) {
            throw new IllegalArgumentException("isa: this is an " + s.vm().architecture().cliName()
                    + " VM; its features are CPUID bits, see 'monitor cpuid'");
        }
        FeatureReport r = s.vm().features(vcpu);
        if (r == null) {
            throw new IllegalStateException("isa: this core does not report ISA extensions");
        }
        out.append(r.title()).append('\n');
        out.append(String.format("%-16s %-9s %-9s %-9s%n", "extension", "supported", "requested", "effective"));
        for (FeatureBit b : r.bits()) {
            out.append(String.format("%-16s %-9s %-9s %-9s%n", b.name(), yes(b.supported()), yes(b.requested()),
                    yes(b.effective())));
        }
    }

    private static String yes(boolean b) {
        return b ? "yes" : "-";
    }

    private static void tlb(GdbSession s, MonitorArgs a, StringBuilder out) {
        a.maxWords(1, "tlb [VCPU]");
        int vcpu = a.isEmpty() ? s.generalVcpu() : ExitCommands.vcpuArg(s, "tlb", a.get(0));
        TlbModel t = s.vm().tlb(vcpu);
        if (t == null) {
            throw new IllegalStateException("tlb: this core does not model a TLB");
        }
        List<TlbEntry> entries = t.entries();
        out.append(String.format("TLB of vCPU %d: %d entries, %d hits, %d misses%n", vcpu, entries.size(), t.hits(),
                t.misses()));
        appendMap(out, "settings", t.properties());
        appendMap(out, "flushes by cause", t.flushesByCause());
        appendMap(out, "hypervisor flush requests", t.requestsByCause());
        if (!entries.isEmpty()) {
            out.append(String.format("%n%-18s %-18s %-18s %5s %5s %5s %-1s %-6s %s%n", "va", "gpa", "hpa", "size", "asid",
                    "vmid", "G", "perms", "AD"));
            for (TlbEntry e : entries) {
                out.append(String.format("0x%016x 0x%016x %-18s %5s %5d %5d %-1s %-6s %s%s%n", e.va(), e.gpa(),
                        e.hpa() == -1 || e.hpa() == e.gpa() ? "=" : String.format("0x%016x", e.hpa()),
                        size(e.pageSize()), e.asid(), e.vmid(), e.global() ? "G" : "-", e.permissions(),
                        e.accessed() ? "A" : "-", e.dirty() ? "D" : "-"));
            }
        }
        List<FlushRecord> history = t.history(TLB_HISTORY);
        if (!history.isEmpty()) {
            out.append(String.format("%nrecent flushes (oldest first):%n"));
            for (FlushRecord f : history) {
                out.append(String.format("  t=%-14d vCPU %-3d %-8s %-24s %-14s%s %d entries%n", f.time(), f.vcpu(),
                        f.request() ? "request" : "flush", f.cause(), f.scope(),
                        f.address() != 0 ? String.format(" 0x%x", f.address()) : "", f.entries()));
            }
        }
    }

    private static <V> void appendMap(StringBuilder out, String title, Map<String, V> map) {
        if (map == null || map.isEmpty()) {
            return;
        }
        out.append(title).append(':');
        map.forEach((k, v) -> out.append(' ').append(k).append('=').append(v));
        out.append('\n');
    }

    private static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "G";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "M";
        }
        return (bytes >> 10) + "K";
    }

    private static void vcpu(GdbSession s, MonitorArgs a, StringBuilder out) {
        a.maxWords(1, "vcpu [VCPU]");
        int index = a.isEmpty() ? s.generalVcpu() : ExitCommands.vcpuArg(s, "vcpu", a.get(0));
        Vcpu v = s.vm().vcpu(index);
        out.append(String.format("vCPU %d (thread %d): %s, %s%n", index, s.threadIdOf(index),
                v.state().name().toLowerCase(Locale.ROOT), safeDescribe(v)));
        try {
            out.append(String.format("pc 0x%x, %d instructions retired, guest time %d ns%n", v.pc(), v.instructions(),
                    v.time()));
        } catch (GuestStateProtectedException e) {
            out.append("registers protected: ").append(e.getMessage()).append('\n');
        }
        long seq = v.lastExitSeq();
        VmExit last = seq >= 0 ? s.vm().trace().get(seq) : null;
        if (last != null) {
            out.append("last exit: ").append(ExitCommands.formatExit(last).trim()).append('\n');
        } else {
            out.append(seq >= 0 ? "last exit: #" + seq + " (no longer in the trace ring)\n" : "no exit taken yet\n");
        }
        List<StateRow> rows;
        try {
            rows = s.vm().systemState(index);
        } catch (GuestStateProtectedException e) {
            out.append("system state protected: ").append(e.getMessage()).append('\n');
            return;
        }
        String group = null;
        for (StateRow r : rows) {
            if (!r.group().equals(group)) {
                group = r.group();
                out.append(group).append(":\n");
            }
            out.append(String.format("  %-12s 0x%016x  %s%n", r.name(), r.value(), r.decoded() == null ? "" : r.decoded()));
        }
    }

    private static String safeDescribe(Vcpu v) {
        try {
            return v.describeState();
        } catch (RuntimeException e) {
            return "state unavailable: " + e.getMessage();
        }
    }
}
