/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import io.hvdbg.core.Vcpu;
import io.hvdbg.core.memory.LittleEndian;
import io.hvdbg.core.vcpu.GuestStateProtectedException;
import io.hvdbg.core.vcpu.RegisterDescriptor;
import io.hvdbg.rsp.codec.PacketBuffer;
import io.hvdbg.rsp.codec.PacketScanner;
import io.hvdbg.rsp.tdesc.RegisterLayout;

/**
 * Registers and memory of the vCPU selected with {@code Hg}: {@code g/G}, {@code p/P},
 * {@code m/M/X}. Memory addresses are guest-virtual, translated with that vCPU's current
 * paging state without side effects ({@link Vcpu#readVirtual}); a partly readable range gives
 * the readable prefix, as gdb expects.
 *
 * <p>A register the hypervisor may not see (a TDX guest's) reads as {@code xx…} in {@code g}
 * (gdb shows it as unavailable) and as {@code E.reason} for {@code p}.
 */
final class DataPackets {
    /** errno EFAULT, what gdbserver answers for unreadable memory. */
    private static final String MEMORY_ERROR = "E14";

    private DataPackets() {
    }

    static void install(PacketTable t) {
        t.on("g", DataPackets::readAll);
        t.on("G", DataPackets::writeAll);
        t.on("p", DataPackets::readOne);
        t.on("P", DataPackets::writeOne);
        t.on("m", DataPackets::readMemory);
        t.on("M", (s, in, out) -> writeMemory(s, in, out, false));
        t.on("X", (s, in, out) -> writeMemory(s, in, out, true));
    }

    private static boolean readAll(GdbSession s, PacketScanner in, PacketBuffer out) {
        s.requireStopped();
        Vcpu v = s.generalVcpuObject();
        RegisterLayout layout = s.registerLayout();
        int protectedCount = 0;
        String reason = null;
        for (int i = 0; i < layout.gPacketCount(); i++) {
            RegisterDescriptor d = layout.register(i);
            int mark = out.length();
            try {
                appendRegister(v, d, out);
            } catch (GuestStateProtectedException e) {
                out.truncate(mark);
                for (int k = 0; k < 2 * d.byteSize(); k++) {
                    out.append('x');
                }
                protectedCount++;
                reason = e.getMessage();
            }
        }
        if (protectedCount > 0 && protectedCount == layout.gPacketCount()) {
            out.clear().appendErrorText(reason);
        }
        return true;
    }

    static void appendRegister(Vcpu v, RegisterDescriptor d, PacketBuffer out) {
        if (d.bitSize() <= 64) {
            out.appendHexLE(v.readRegister(d.regnum()), d.byteSize());
        } else {
            byte[] b = v.readRegisterBytes(d.regnum());
            out.appendHex(b, 0, Math.min(b.length, d.byteSize()));
            for (int k = b.length; k < d.byteSize(); k++) {
                out.appendHexByte(0);
            }
        }
    }

    private static boolean writeAll(GdbSession s, PacketScanner in, PacketBuffer out) {
        s.requireStopped();
        Vcpu v = s.generalVcpuObject();
        RegisterLayout layout = s.registerLayout();
        for (int i = 0; i < layout.gPacketCount() && !in.atEnd(); i++) {
            RegisterDescriptor d = layout.register(i);
            if (in.remaining() < 2 * d.byteSize()) {
                throw in.error("register data ends inside " + d.name());
            }
            if (in.peek() == 'x') {
                in.skip(2 * d.byteSize()); // unavailable: leave as is
                continue;
            }
            byte[] b = new byte[d.byteSize()];
            in.hexBytes(b, 0, b.length);
            writeRegister(v, d, b);
        }
        out.appendAscii("OK");
        return true;
    }

    private static void writeRegister(Vcpu v, RegisterDescriptor d, byte[] b) {
        if (d.bitSize() <= 64) {
            byte[] eight = new byte[8];
            System.arraycopy(b, 0, eight, 0, Math.min(8, b.length));
            v.writeRegister(d.regnum(), LittleEndian.getI64(eight, 0));
        } else {
            v.writeRegisterBytes(d.regnum(), b);
        }
    }

    private static RegisterDescriptor register(GdbSession s, PacketScanner in) {
        int n = in.hexInt();
        RegisterDescriptor d = s.generalVcpuObject().registerByNumber(n);
        if (d == null) {
            throw new IllegalArgumentException("no register number " + n + " (0x" + Integer.toHexString(n) + ")");
        }
        return d;
    }

    private static boolean readOne(GdbSession s, PacketScanner in, PacketBuffer out) {
        s.requireStopped();
        RegisterDescriptor d = register(s, in);
        appendRegister(s.generalVcpuObject(), d, out);
        return true;
    }

    private static boolean writeOne(GdbSession s, PacketScanner in, PacketBuffer out) {
        s.requireStopped();
        RegisterDescriptor d = register(s, in);
        in.expect('=');
        byte[] b = in.hexBytesToEnd();
        if (b.length != d.byteSize()) {
            throw new IllegalArgumentException("register " + d.name() + " is " + d.byteSize() + " bytes, got " + b.length);
        }
        writeRegister(s.generalVcpuObject(), d, b);
        out.appendAscii("OK");
        return true;
    }

    private static boolean readMemory(GdbSession s, PacketScanner in, PacketBuffer out) {
        s.requireStopped();
        long address = in.hex();
        in.expect(',');
        long length = in.hex();
        in.expectEnd();
        // Replies may be larger than requests, but keep them within what the client sized its buffer for.
        int n = (int) Math.min(length, Math.max(1, s.maxPacketSize() / 2));
        byte[] b = new byte[n];
        int got;
        try {
            got = s.generalVcpuObject().readVirtual(address, b, 0, n);
        } catch (GuestStateProtectedException e) {
            return memoryError(s, e.getMessage(), out);
        }
        if (got == 0 && n > 0) {
            return memoryError(s, String.format("cannot read guest memory at 0x%x (not mapped or not RAM)", address),
                    out);
        }
        out.appendHex(b, 0, got);
        return true;
    }

    /** gdb before 15 only understands E NN after m/M/X; newer ones announce error-message+ for E.text. */
    private static boolean memoryError(GdbSession s, String text, PacketBuffer out) {
        out.clear();
        if (s.clientSupports("error-message")) {
            out.appendErrorText(text);
        } else {
            out.appendAscii(MEMORY_ERROR);
        }
        return true;
    }

    private static boolean writeMemory(GdbSession s, PacketScanner in, PacketBuffer out, boolean binary) {
        s.requireStopped();
        long address = in.hex();
        in.expect(',');
        int length = in.hexInt();
        in.expect(':');
        byte[] b;
        if (binary) {
            b = in.binaryToEnd();
        } else {
            b = in.hexBytesToEnd();
        }
        if (b.length != length) {
            throw in.error("length says " + length + " bytes but the data has " + b.length);
        }
        if (length == 0) {
            out.appendAscii("OK"); // gdb probes X support with an empty write
            return true;
        }
        int put;
        try {
            put = s.generalVcpuObject().writeVirtual(address, b, 0, b.length);
        } catch (GuestStateProtectedException e) {
            return memoryError(s, e.getMessage(), out);
        }
        if (put != b.length) {
            return memoryError(s, String.format("cannot write guest memory at 0x%x (not mapped or not RAM)",
                    address + put), out);
        }
        out.appendAscii("OK");
        return true;
    }
}
