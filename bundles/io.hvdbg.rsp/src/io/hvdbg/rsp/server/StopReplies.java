/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import io.hvdbg.core.StopEvent;
import io.hvdbg.core.Vcpu;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.core.vcpu.GuestStateProtectedException;
import io.hvdbg.core.vcpu.RegisterDescriptor;
import io.hvdbg.rsp.codec.PacketBuffer;

/**
 * Stop replies for the core's {@link StopEvent}s, in gdb's {@code T} format:
 * {@code T05thread:1;swbreak:;} for a breakpoint, {@code T05watch:ADDR;thread:1;} for a
 * watchpoint, {@code T02thread:1;} after an interrupt, {@code W03} when the guest ended.
 *
 * <p>Each {@code T} reply also carries the stopping vCPU's program counter, stack and frame
 * pointers by gdb number ("expedited" registers), so gdb usually needs no register read to
 * show where the guest stopped.
 *
 * <p>An exit breakpoint stop adds {@code hvdbg-exit:SEQ,BP,REASON,CATEGORY,HEXDESC;}: the
 * exit's trace sequence number (hex, {@code -1} when tracing is off), the exit breakpoint id
 * (hex), the vendor-native reason name, the category, and the decoded one-line description
 * as hex text. gdb skips keys it does not know (the key does not start with a hex digit, so
 * it cannot be taken for a register number); the IDE reads it.
 */
public final class StopReplies {
    /** Signal numbers gdb uses in stop replies. */
    public static final int SIGINT = 2;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;

    /** The extra stop-reply key carrying the exit of an exit-breakpoint stop. */
    public static final String EXIT_KEY = "hvdbg-exit";
    /** The extra stop-reply key carrying an error stop's message (hex text). */
    public static final String ERROR_KEY = "hvdbg-error";

    private static final String[][] EXPEDITED = {
        {"rip", "pc"},
        {"rsp", "sp"},
        {"rbp", "fp", "s0"},
    };

    private StopReplies() {
    }

    /**
     * Writes the stop reply for {@code e}.
     *
     * @param hardware   true if the breakpoint at the stop address was inserted with Z1
     * @param swbreak    the client announced swbreak+ (it then trusts the reported PC)
     * @param hwbreak    the client announced hwbreak+
     */
    public static void write(GdbSession session, StopEvent e, boolean hardware, boolean swbreak, boolean hwbreak,
            PacketBuffer out) {
        out.clear();
        switch (e.reason()) {
            case SHUTDOWN -> {
                int status = e.exitStatus();
                out.append('W');
                if (status >= 0 && status <= 0xFF) {
                    out.appendHexByte(status);
                } else {
                    out.appendHexNumber(status & 0xFFFFFFFFL); // gdb reads any number of hex digits
                }
                return;
            }
            case PAUSED -> signal(out, SIGINT);
            case ERROR -> signal(out, SIGABRT);
            default -> signal(out, SIGTRAP);
        }
        switch (e.reason()) {
            case BREAKPOINT -> {
                if (hardware && hwbreak) {
                    out.appendAscii("hwbreak:;");
                } else if (swbreak) {
                    out.appendAscii("swbreak:;");
                }
            }
            case WATCHPOINT -> {
                String key = e.watchpoint() != null ? e.watchpoint().kind().stopKey() : "watch";
                out.appendAscii(key).append(':').appendHexNumber(e.address()).append(';');
            }
            default -> {
            }
        }
        out.appendAscii("thread:").appendHexNumber(session.threadIdOf(e.vcpu())).append(';');
        appendExpedited(session, e.vcpu(), out);
        if (e.reason() == io.hvdbg.core.StopReason.EXIT_BREAKPOINT && e.exit() != null) {
            appendExit(e, out);
        }
        if (e.reason() == io.hvdbg.core.StopReason.ERROR && e.message() != null) {
            out.appendAscii(ERROR_KEY).append(':').appendHexText(e.message()).append(';');
        }
    }

    private static void signal(PacketBuffer out, int sig) {
        out.append('T').appendHexByte(sig);
    }

    /** The program counter, stack and frame pointer of this architecture, in that order (looked up once per session). */
    static RegisterDescriptor[] expeditedRegisters(Vcpu v) {
        RegisterDescriptor[] out = new RegisterDescriptor[EXPEDITED.length];
        for (int i = 0; i < EXPEDITED.length; i++) {
            for (String n : EXPEDITED[i]) {
                RegisterDescriptor d = v.register(n);
                if (d != null && d.bitSize() <= 64) {
                    out[i] = d;
                    break;
                }
            }
        }
        return out;
    }

    private static void appendExpedited(GdbSession session, int vcpuIndex, PacketBuffer out) {
        if (vcpuIndex < 0 || vcpuIndex >= session.vm().vcpuCount()) {
            return;
        }
        Vcpu v = session.vm().vcpu(vcpuIndex);
        for (RegisterDescriptor d : session.expeditedRegisters()) {
            if (d == null) {
                continue;
            }
            long value;
            try {
                value = v.readRegister(d.regnum());
            } catch (GuestStateProtectedException | IllegalArgumentException ex) {
                continue;
            }
            out.appendHexNumber(d.regnum()).append(':').appendHexLE(value, d.byteSize()).append(';');
        }
    }

    private static void appendExit(StopEvent e, PacketBuffer out) {
        VmExit x = e.exit();
        out.appendAscii(EXIT_KEY).append(':');
        if (x.seq() < 0) {
            out.appendAscii("-1");
        } else {
            out.appendHexNumber(x.seq());
        }
        out.append(',').appendHexNumber(e.exitBreakpoint() != null ? e.exitBreakpoint().id() : 0);
        out.append(',').appendAscii(safeName(x.reason().name()));
        out.append(',').appendAscii(x.category().name());
        out.append(',');
        String desc;
        try {
            desc = x.describe();
        } catch (RuntimeException ex) {
            desc = x.reason().name();
        }
        out.appendHexText(desc);
        out.append(';');
    }

    /** A name safe inside a stop reply value: no separators or framing characters. */
    static String safeName(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(Character.isLetterOrDigit(c) && c < 0x80 || c == '_' || c == '.' || c == '-' ? c : '_');
        }
        return sb.toString();
    }
}
