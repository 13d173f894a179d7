/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import java.util.BitSet;

import io.hvdbg.core.debug.WatchKind;
import io.hvdbg.core.debug.Watchpoint;
import io.hvdbg.rsp.codec.PacketBuffer;
import io.hvdbg.rsp.codec.PacketScanner;
import io.hvdbg.rsp.codec.ThreadId;

/**
 * Run control and breakpoints: {@code c/C/s/S}, {@code vCont?}/{@code vCont}, {@code D},
 * {@code k}/{@code vKill}, {@code Z0-Z4}/{@code z0-z4}.
 *
 * <p>All-stop: a step runs only the stepped vCPU (the others stay where they are, as with
 * gdb's scheduler-locking during a step), a continue runs them all. Signals in {@code C},
 * {@code S} and {@code vCont;C/S} are accepted and ignored: a VM has no signals to deliver.
 * Breakpoints and watchpoints go to the core's registries, never into guest memory; software
 * (Z0) and hardware (Z1) breakpoints behave the same but are reported as gdb inserted them.
 */
final class RunControlPackets {
    private RunControlPackets() {
    }

    static void install(PacketTable t) {
        t.on("c", (s, in, out) -> {
            setPcIfGiven(s, in, s.continueVcpu());
            return s.resume(out);
        });
        t.on("C", (s, in, out) -> {
            in.hex();
            if (in.accept(';')) {
                setPcIfGiven(s, in, s.continueVcpu());
            }
            return s.resume(out);
        });
        t.on("s", (s, in, out) -> {
            int v = stepVcpu(s, s.continueVcpu());
            setPcIfGiven(s, in, v);
            return s.step(v, out);
        });
        t.on("S", (s, in, out) -> {
            in.hex();
            int v = stepVcpu(s, s.continueVcpu());
            if (in.accept(';')) {
                setPcIfGiven(s, in, v);
            }
            return s.step(v, out);
        });
        t.on("vCont?", (s, in, out) -> {
            out.appendAscii("vCont;c;C;s;S;t");
            return true;
        });
        t.on("vCont", RunControlPackets::vCont);
        t.on("D", (s, in, out) -> {
            out.appendAscii("OK");
            s.detachAfterReply();
            return true;
        });
        t.on("k", (s, in, out) -> {
            s.kill();
            return false; // gdb expects no reply to k
        });
        t.on("vKill", (s, in, out) -> {
            out.appendAscii("OK");
            s.kill();
            return true;
        });
        t.on("Z", (s, in, out) -> breakpoint(s, in, out, true));
        t.on("z", (s, in, out) -> breakpoint(s, in, out, false));
    }

    private static int stepVcpu(GdbSession s, int selected) {
        return selected >= 0 ? selected : s.currentVcpu();
    }

    private static void setPcIfGiven(GdbSession s, PacketScanner in, int vcpu) {
        if (!in.atEnd()) {
            long pc = in.hex();
            s.requireStopped();
            s.vm().vcpu(vcpu >= 0 ? vcpu : s.currentVcpu()).setPc(pc);
        }
    }

    /**
     * vCont;ACTION[:TID];… - each thread takes the leftmost action that names it, or the
     * default (an action without a thread). A step runs only the stepped vCPU (the first thread
     * whose action is a step; the others stay stopped, as under gdb's scheduler locking). Else
     * the threads whose action is a continue run and the rest stay stopped, which is what gdb
     * asks for when it moves one thread past a breakpoint ({@code vCont;c:1}).
     */
    private static boolean vCont(GdbSession s, PacketScanner in, PacketBuffer out) {
        s.requireStopped();
        int n = s.vm().vcpuCount();
        int[] action = new int[n]; // 0: none yet
        int defaultAction = 0;
        boolean any = false;
        while (in.accept(';')) {
            int a = in.next();
            if (a == 'C' || a == 'S') {
                in.hex(); // signal: nothing to deliver to a VM
                a = Character.toLowerCase(a);
            } else if (a == 'r') {
                throw new UnsupportedOperationException("range stepping (vCont;r) is not supported");
            } else if (a != 'c' && a != 's' && a != 't') {
                throw in.error("unknown vCont action '" + (char) a + "'");
            }
            any = true;
            long tid = ThreadId.ALL;
            if (in.accept(':')) {
                tid = ThreadId.read(in);
            }
            if (tid == ThreadId.ALL || tid == ThreadId.ANY) {
                if (defaultAction == 0) {
                    defaultAction = a;
                }
                continue;
            }
            int v = s.vcpuOfThread(tid);
            if (v < 0) {
                throw new IllegalArgumentException("no thread " + Long.toHexString(tid));
            }
            if (action[v] == 0) {
                action[v] = a;
            }
        }
        in.expectEnd();
        if (!any) {
            throw in.error("vCont without an action");
        }
        int stepVcpu = -1;
        BitSet run = new BitSet(n);
        for (int v = 0; v < n; v++) {
            int a = action[v] != 0 ? action[v] : defaultAction;
            if (action[v] == 's' && stepVcpu < 0) {
                stepVcpu = v;
            } else if (a == 'c') {
                run.set(v);
            }
        }
        if (stepVcpu < 0 && defaultAction == 's') {
            stepVcpu = stepVcpu(s, s.continueVcpu()); // a step for every thread: step gdb's current one
        }
        if (stepVcpu >= 0) {
            return s.step(stepVcpu, out);
        }
        if (!run.isEmpty()) {
            return run.cardinality() == n ? s.resume(out) : s.resume(run, out);
        }
        out.appendAscii("OK"); // only 't' actions: in all-stop everything is already stopped
        return true;
    }

    /** Z/z TYPE,ADDR,KIND[;conditions]. */
    private static boolean breakpoint(GdbSession s, PacketScanner in, PacketBuffer out, boolean insert) {
        int type = in.next() - '0';
        in.expect(',');
        long address = in.hex();
        in.expect(',');
        long kind = in.hex();
        // Target-side conditions and commands (";X…") are not announced, so gdb does not send them.
        switch (type) {
            case 0, 1 -> {
                boolean hardware = type == 1;
                if (insert) {
                    s.insertBreakpoint(address, hardware);
                } else {
                    s.removeBreakpoint(address, hardware);
                }
            }
            case 2, 3, 4 -> {
                if (kind <= 0) {
                    throw new IllegalArgumentException("watchpoint length must be positive");
                }
                WatchKind k = type == 2 ? WatchKind.WRITE : type == 3 ? WatchKind.READ : WatchKind.ACCESS;
                Watchpoint w = new Watchpoint(address, kind, k);
                if (insert) {
                    s.insertWatchpoint(w);
                } else {
                    s.removeWatchpoint(w);
                }
            }
            default -> {
                return true; // unknown type: unsupported (empty reply)
            }
        }
        out.appendAscii("OK");
        return true;
    }
}
