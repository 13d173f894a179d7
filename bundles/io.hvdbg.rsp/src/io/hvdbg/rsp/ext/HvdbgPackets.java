/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.ext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.hvdbg.core.Vcpu;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.debug.ExitBreakpoint;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.NativeEncoding;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.core.vcpu.GuestStateProtectedException;
import io.hvdbg.rsp.codec.Hex;
import io.hvdbg.rsp.codec.PacketBuffer;
import io.hvdbg.rsp.codec.PacketScanner;
import io.hvdbg.rsp.codec.ThreadId;
import io.hvdbg.rsp.server.GdbSession;
import io.hvdbg.rsp.server.PacketTable;

/**
 * The hvdbg extension packets for the IDE (documented in docs/rsp-extensions.md). Bulk
 * replies start with {@code r} and carry a binary body ({@link HvdbgWire}, {@link ExitBatch}),
 * escaped like any binary reply. Packets that only read the exit trace, statistics or the
 * exit-breakpoint list are served while the VM runs too (the IDE's timeline updates live);
 * the others need a stopped VM. A stub without these packets answers them with the empty
 * reply, which is how a client tells hvdbg from other stubs.
 */
public final class HvdbgPackets {
    /** Version of the qHvdbg protocol; bumped on incompatible changes. */
    public static final int PROTOCOL_VERSION = 1;
    /** Cap on one exits reply, whatever the client asks for. */
    public static final int MAX_EXITS_REPLY = 8 << 20;
    /** First byte of a binary qHvdbg reply. */
    public static final char BINARY_REPLY = 'r';

    private HvdbgPackets() {
    }

    public static PacketTable install(PacketTable t) {
        t.on("qHvdbg.version", HvdbgPackets::version);
        t.on("qHvdbg.reasons", HvdbgPackets::reasons);
        t.on("qHvdbg.exits", HvdbgPackets::exits);
        t.on("qHvdbg.exit", HvdbgPackets::exit);
        t.on("qHvdbg.stats", HvdbgPackets::stats);
        t.on("qHvdbg.features", HvdbgPackets::features);
        t.on("qHvdbg.tlb", HvdbgPackets::tlb);
        t.on("qHvdbg.state", HvdbgPackets::state);
        t.on("qHvdbg.exitBreaks", (s, in, out) -> {
            HvdbgWire.writeExitBreakpoints(s.vm().exitBreakpoints().all(), binary(out));
            return true;
        });
        t.on("qHvdbg.exitBreakAdd", HvdbgPackets::exitBreakAdd);
        t.on("QHvdbg.exitBreakDelete", (s, in, out) -> {
            in.expect(':');
            int id = in.hexInt();
            if (!s.vm().exitBreakpoints().remove(id)) {
                throw new IllegalArgumentException("no exit breakpoint " + id);
            }
            s.untrackExitBreakpoint(id);
            out.appendAscii("OK");
            return true;
        });
        t.on("QHvdbg.exitBreakEnable", (s, in, out) -> {
            in.expect(':');
            int id = in.hexInt();
            in.expect(',');
            long on = in.hex();
            ExitBreakpoint b = s.vm().exitBreakpoints().get(id);
            if (b == null) {
                throw new IllegalArgumentException("no exit breakpoint " + id);
            }
            b.setEnabled(on != 0);
            out.appendAscii("OK");
            return true;
        });
        t.on("QHvdbg.console", (s, in, out) -> {
            in.expect(':');
            s.setConsoleForwarding(in.hex() != 0);
            out.appendAscii("OK");
            return true;
        });
        t.on("vHvdbg.stepToExit", HvdbgPackets::stepToExit);
        return t;
    }

    private static WireWriter binary(PacketBuffer out) {
        out.append(BINARY_REPLY);
        return new WireWriter(out);
    }

    private static int vcpu(GdbSession s, PacketScanner in) {
        if (!in.accept(':')) {
            return s.generalVcpu();
        }
        long v = in.hex();
        if (v >= s.vm().vcpuCount()) {
            throw new IllegalArgumentException("no vCPU " + v + " (the VM has " + s.vm().vcpuCount() + ")");
        }
        return (int) v;
    }

    private static boolean version(GdbSession s, PacketScanner in, PacketBuffer out) {
        VirtualMachine vm = s.vm();
        out.appendAscii("hvdbg;protocol=").appendAscii(Integer.toString(PROTOCOL_VERSION));
        out.appendAscii(";arch=").appendAscii(vm.architecture().cliName());
        out.appendAscii(";vcpus=").appendAscii(Integer.toString(vm.vcpuCount()));
        out.appendAscii(";vendor=").appendAscii(vm.config().vendor());
        out.appendAscii(";tdx=").append(vm.config().tdx() ? '1' : '0');
        out.appendAscii(";tracing=").append(vm.tracing() ? '1' : '0');
        return true;
    }

    /** qHvdbg.reasons[:FROMID] - reasons with id at least FROMID (clients refresh when they see a new id). */
    private static boolean reasons(GdbSession s, PacketScanner in, PacketBuffer out) {
        int from = in.accept(':') ? in.hexInt() : 0;
        List<io.hvdbg.core.exit.ExitReason> all = ExitReasons.all();
        HvdbgWire.writeReasons(all.subList(Math.min(from, all.size()), all.size()), binary(out));
        return true;
    }

    /** qHvdbg.exits:FROM,MAXRECORDS[,MAXBYTES]. */
    private static boolean exits(GdbSession s, PacketScanner in, PacketBuffer out) {
        in.expect(':');
        long from = in.hex();
        in.expect(',');
        long max = in.hex();
        long maxBytes = in.accept(',') ? in.hex() : 1 << 20;
        in.expectEnd();
        int limit = (int) Math.max(1024, Math.min(maxBytes, MAX_EXITS_REPLY));
        PacketBuffer scratch = (PacketBuffer) s.attributes().computeIfAbsent("qHvdbg.exits.scratch",
                k -> new PacketBuffer(64 * 1024));
        out.append(BINARY_REPLY);
        ExitBatch.encode(s.vm().trace(), from, Math.max(1, max), limit, out, scratch);
        return true;
    }

    /** qHvdbg.exit:SEQ - one exit, decoded. */
    private static boolean exit(GdbSession s, PacketScanner in, PacketBuffer out) {
        in.expect(':');
        long seq = in.hex();
        VmExit e = s.vm().trace().get(seq);
        if (e == null) {
            throw new IllegalArgumentException("exit " + seq + " is not in the trace (dropped from the ring, or not yet recorded)");
        }
        HvdbgWire.writeExit(e, encodings(e), describe(e), binary(out));
        return true;
    }

    static String describe(VmExit e) {
        try {
            return e.describe();
        } catch (RuntimeException ex) {
            return e.reason().name();
        }
    }

    /** The exit's own encoding, plus the other x86 vendor's where one exists. */
    static List<NativeEncoding> encodings(VmExit e) {
        List<NativeEncoding> list = new ArrayList<>();
        for (ExitSource src : ExitSource.values()) {
            try {
                NativeEncoding n = e.encoding(src);
                if (n != null) {
                    list.add(n);
                }
            } catch (RuntimeException ex) {
                // a decoder without that translation
            }
        }
        return list;
    }

    /** qHvdbg.stats[:VCPU] - VCPU in hex, or absent / "-1" for all. */
    private static boolean stats(GdbSession s, PacketScanner in, PacketBuffer out) {
        int vcpu = -1;
        if (in.accept(':')) {
            long v = in.signedHex();
            if (v >= s.vm().vcpuCount()) {
                throw new IllegalArgumentException("no vCPU " + v);
            }
            vcpu = (int) v;
        }
        HvdbgWire.writeStats(s.vm().statistics().report(vcpu), binary(out));
        return true;
    }

    private static boolean features(GdbSession s, PacketScanner in, PacketBuffer out) {
        s.requireStopped();
        HvdbgWire.writeFeatures(s.vm().features(vcpu(s, in)), binary(out));
        return true;
    }

    /** qHvdbg.tlb[:VCPU[,HISTORY]]. */
    private static boolean tlb(GdbSession s, PacketScanner in, PacketBuffer out) {
        s.requireStopped();
        int vcpu = vcpu(s, in);
        int history = in.accept(',') ? (int) Math.min(in.hex(), 100_000) : 256;
        HvdbgWire.writeTlb(vcpu, s.vm().tlb(vcpu), history, binary(out));
        return true;
    }

    private static boolean state(GdbSession s, PacketScanner in, PacketBuffer out) {
        s.requireStopped();
        int index = vcpu(s, in);
        Vcpu v = s.vm().vcpu(index);
        long pc = 0;
        String prot = "";
        try {
            pc = v.pc();
        } catch (GuestStateProtectedException e) {
            prot = e.getMessage();
        }
        List<StateRow> rows;
        try {
            rows = s.vm().systemState(index);
        } catch (GuestStateProtectedException e) {
            rows = List.of();
            prot = prot.isEmpty() ? e.getMessage() : prot;
        }
        String desc;
        try {
            desc = v.describeState();
        } catch (RuntimeException e) {
            desc = "";
        }
        VcpuSnapshot snap = new VcpuSnapshot(index, v.state().name(), desc, pc, prot, v.instructions(), v.time(),
                v.lastExitSeq(), rows);
        HvdbgWire.writeState(snap, binary(out));
        return true;
    }

    /** qHvdbg.exitBreakAdd:HEX(WHAT);HEX(CONDITION);VCPU;TEMPORARY - reply: the new id in hex. */
    private static boolean exitBreakAdd(GdbSession s, PacketScanner in, PacketBuffer out) {
        in.expect(':');
        String what = Hex.decodeText(in.until(';'));
        String cond = Hex.decodeText(in.until(';'));
        long vcpu = in.signedHex();
        in.expect(';');
        boolean temporary = in.hex() != 0;
        in.expectEnd();
        if (what == null || cond == null) {
            throw in.error("reason and condition must be hex-encoded text");
        }
        if (vcpu >= s.vm().vcpuCount() || vcpu < -1) {
            throw new IllegalArgumentException("no vCPU " + vcpu);
        }
        ExitBreakpoint b = s.vm().exitBreakpoints().add(what, cond, (int) vcpu, temporary);
        s.trackExitBreakpoint(b);
        out.appendHexNumber(b.id());
        return true;
    }

    /** vHvdbg.stepToExit:TID[;HEX(REASON)] - run until that vCPU's next exit; the reply is a stop reply. */
    private static boolean stepToExit(GdbSession s, PacketScanner in, PacketBuffer out) {
        s.requireStopped();
        in.expect(':');
        long tid = ThreadId.read(in);
        int v = s.vcpuOfThread(tid);
        if (v < 0) {
            if (tid != ThreadId.ALL && tid != ThreadId.ANY) {
                throw new IllegalArgumentException("no thread " + Long.toHexString(tid));
            }
            v = s.currentVcpu();
        }
        String reason = null;
        if (in.accept(';')) {
            reason = Hex.decodeText(in.rest());
            if (reason == null) {
                throw in.error("the exit reason must be hex-encoded text");
            }
            reason = reason.isBlank() ? null : reason.trim().toUpperCase(Locale.ROOT);
        }
        return s.stepToExit(v, reason, out);
    }
}
