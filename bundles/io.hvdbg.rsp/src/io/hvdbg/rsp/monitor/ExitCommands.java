/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.monitor;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.debug.ExitBreakpoint;
import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.core.exit.NativeEncoding;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.rsp.server.GdbSession;

/** Monitor commands about VM exits: the trace, statistics and exit breakpoints. */
final class ExitCommands {
    private static final int DEFAULT_EXITS = 20;
    private static final int MAX_EXITS = 100_000;

    private ExitCommands() {
    }

    static void install(Monitor m) {
        m.add(new MonitorCommand("exits", "exits [N] [--vcpu V] [--reason REASON]",
                "the last N recorded VM exits (default " + DEFAULT_EXITS + "), decoded, with the other vendor's encoding",
                true, ExitCommands::exits));
        m.add(new MonitorCommand("stats", "stats [VCPU]",
                "exit counts and handling times per reason, like 'perf kvm stat report'", true, ExitCommands::stats));
        m.add(new MonitorCommand("break-exit", "break-exit REASON [CONDITION] [--vcpu V]",
                "stop the VM at the next exit of REASON (before it is handled), e.g. break-exit IO port=0x3f8-0x3ff",
                true, (s, a, out) -> breakExit(s, a, out, false)));
        m.add(new MonitorCommand("tbreak-exit", "tbreak-exit REASON [CONDITION] [--vcpu V]",
                "like break-exit, deleted when hit ('tbreak-exit any' then 'continue' steps to the next exit)", true,
                (s, a, out) -> breakExit(s, a, out, true)));
        m.add(new MonitorCommand("exit-breaks", "exit-breaks", "list the exit breakpoints with their hit counts", true,
                ExitCommands::list));
        m.add(new MonitorCommand("delete-exit", "delete-exit ID|all", "delete an exit breakpoint", true,
                ExitCommands::delete));
        m.add(new MonitorCommand("enable-exit", "enable-exit ID", "enable an exit breakpoint", true,
                (s, a, out) -> enable(s, a, out, true)));
        m.add(new MonitorCommand("disable-exit", "disable-exit ID", "disable an exit breakpoint", true,
                (s, a, out) -> enable(s, a, out, false)));
    }

    static int vcpuArg(GdbSession s, String command, String text) {
        long v = MonitorArgs.parseNumber(command, text, "vCPU");
        if (v < 0 || v >= s.vm().vcpuCount()) {
            throw new IllegalArgumentException(command + ": no vCPU " + text + " (the VM has " + s.vm().vcpuCount()
                    + ", numbered from 0)");
        }
        return (int) v;
    }

    private static void exits(GdbSession s, MonitorArgs a, StringBuilder out) {
        String vcpuText = a.takeOption("vcpu");
        String reasonText = a.takeOption("reason");
        a.rejectUnknownOptions();
        a.maxWords(1, "exits [N] [--vcpu V] [--reason REASON]");
        long n = a.isEmpty() ? DEFAULT_EXITS : a.number(0, "count");
        if (n <= 0 || n > MAX_EXITS) {
            throw new IllegalArgumentException("exits: count must be 1-" + MAX_EXITS);
        }
        int vcpu = vcpuText == null ? -1 : vcpuArg(s, "exits", vcpuText);
        ExitCategory category = null;
        ExitReason reason = null;
        if (reasonText != null) {
            category = ExitCategory.parse(reasonText);
            if (category == null) {
                reason = ExitReasons.findByName(reasonText);
                if (reason == null) {
                    throw new IllegalArgumentException("exits: unknown exit reason '" + reasonText + "'");
                }
            }
        }
        VirtualMachine vm = s.vm();
        ExitTrace trace = vm.trace();
        if (!vm.tracing() && trace.size() == 0) {
            out.append("Exit tracing is off for this VM (run without --trace off to record exits).\n");
            return;
        }
        ArrayDeque<VmExit> last = new ArrayDeque<>();
        final int limit = (int) n;
        final ExitCategory cat = category;
        final ExitReason rsn = reason;
        boolean filtered = vcpu >= 0 || cat != null || rsn != null;
        long from = filtered ? 0 : Math.max(0, trace.nextSeq() - limit);
        trace.read(from, Long.MAX_VALUE, (seq, v, r, t, d, pc, q, i2, c) -> {
            if (vcpu >= 0 && v != vcpu) {
                return true;
            }
            ExitReason er = ExitReasons.byId(r);
            if ((rsn != null && er != rsn) || (cat != null && er.category() != cat)) {
                return true;
            }
            if (last.size() == limit) {
                last.removeFirst();
            }
            last.addLast(new VmExit(seq, v, t, d, er, pc, q, i2, c));
            return true;
        });
        if (last.isEmpty()) {
            out.append("No exits recorded").append(filtered ? " that match." : " yet.").append('\n');
            return;
        }
        out.append(String.format("%10s %4s %14s %18s  %-28s %s%n", "seq", "vcpu", "time(ns)", "pc", "reason",
                "description"));
        for (VmExit e : last) {
            out.append(formatExit(e)).append('\n');
        }
        long dropped = trace.firstSeq();
        if (dropped > 0 && filtered) {
            out.append("(the oldest ").append(dropped).append(" exits were dropped from the trace ring)\n");
        }
    }

    /** One exit on one line: seq, vCPU, time, pc, reason, decoded description, other vendor's encoding. */
    static String formatExit(VmExit e) {
        String desc;
        try {
            desc = e.describe();
        } catch (RuntimeException ex) {
            desc = "";
        }
        StringBuilder sb = new StringBuilder(String.format("%10d %4d %14d 0x%016x  %-28s %s", e.seq(), e.vcpu(),
                e.time(), e.pc(), e.reason().name(), desc));
        String other = otherEncoding(e);
        if (other != null) {
            sb.append("  [").append(other).append(']');
        }
        sb.append(String.format("  %.1fus", e.durationNs() / 1000.0));
        return sb.toString();
    }

    /** The exit in the other x86 vendor's encoding, e.g. "SVM VMEXIT_CPUID 0x72", or null. */
    static String otherEncoding(VmExit e) {
        ExitSource other = switch (e.reason().source()) {
            case VMX -> ExitSource.SVM;
            case SVM -> ExitSource.VMX;
            default -> null;
        };
        if (other == null) {
            return null;
        }
        try {
            NativeEncoding n = e.encoding(other);
            return n == null ? null : (other == ExitSource.SVM ? "SVM " : "VMX ") + n.name() + " 0x"
                    + Long.toHexString(n.code());
        } catch (RuntimeException ex) {
            return null;
        }
    }

    private static void stats(GdbSession s, MonitorArgs a, StringBuilder out) {
        a.maxWords(1, "stats [VCPU]");
        int vcpu = a.isEmpty() ? -1 : vcpuArg(s, "stats", a.get(0));
        out.append("VM exits of ").append(vcpu < 0 ? "all vCPUs" : "vCPU " + vcpu).append(":\n\n");
        out.append(s.vm().statistics().format(vcpu));
    }

    private static void breakExit(GdbSession s, MonitorArgs a, StringBuilder out, boolean temporary) {
        String name = temporary ? "tbreak-exit" : "break-exit";
        String vcpuText = a.takeOption("vcpu");
        a.rejectUnknownOptions();
        if (a.isEmpty()) {
            throw new IllegalArgumentException(name + ": give an exit reason, e.g. " + name + " CPUID leaf=7");
        }
        int vcpu = vcpuText == null ? -1 : vcpuArg(s, name, vcpuText);
        ExitBreakpoint b = s.vm().exitBreakpoints().add(a.get(0), a.joined(1), vcpu, temporary);
        s.trackExitBreakpoint(b);
        out.append(temporary ? "Temporary exit breakpoint " : "Exit breakpoint ").append(b.id()).append(": ")
                .append(b.describe()).append(" (stops before the exit is handled)\n");
    }

    private static void list(GdbSession s, MonitorArgs a, StringBuilder out) {
        a.maxWords(0, "exit-breaks");
        List<ExitBreakpoint> all = s.vm().exitBreakpoints().all();
        if (all.isEmpty()) {
            out.append("No exit breakpoints.\n");
            return;
        }
        out.append(String.format("%-4s %-8s %-5s %8s  %s%n", "id", "type", "on", "hits", "what"));
        for (ExitBreakpoint b : all) {
            out.append(String.format("%-4d %-8s %-5s %8d  %s%n", b.id(), b.temporary() ? "temp" : "keep",
                    b.enabled() ? "y" : "n", b.hitCount(), b.describe()));
        }
    }

    private static ExitBreakpoint byId(GdbSession s, MonitorArgs a, String command) {
        a.maxWords(1, command + " ID");
        if (a.isEmpty()) {
            throw new IllegalArgumentException(command + ": give the exit breakpoint id (see monitor exit-breaks)");
        }
        long id = a.number(0, "id");
        ExitBreakpoint b = id > Integer.MAX_VALUE ? null : s.vm().exitBreakpoints().get((int) id);
        if (b == null) {
            throw new IllegalArgumentException(command + ": no exit breakpoint " + a.get(0));
        }
        return b;
    }

    private static void delete(GdbSession s, MonitorArgs a, StringBuilder out) {
        if (a.size() == 1 && a.get(0).toLowerCase(Locale.ROOT).equals("all")) {
            for (ExitBreakpoint b : s.vm().exitBreakpoints().all()) {
                s.vm().exitBreakpoints().remove(b.id());
                s.untrackExitBreakpoint(b.id());
            }
            out.append("Deleted all exit breakpoints.\n");
            return;
        }
        ExitBreakpoint b = byId(s, a, "delete-exit");
        s.vm().exitBreakpoints().remove(b.id());
        s.untrackExitBreakpoint(b.id());
        out.append("Deleted exit breakpoint ").append(b.id()).append(".\n");
    }

    private static void enable(GdbSession s, MonitorArgs a, StringBuilder out, boolean on) {
        ExitBreakpoint b = byId(s, a, on ? "enable-exit" : "disable-exit");
        b.setEnabled(on);
        out.append(on ? "Enabled" : "Disabled").append(" exit breakpoint ").append(b.id()).append(".\n");
    }
}
