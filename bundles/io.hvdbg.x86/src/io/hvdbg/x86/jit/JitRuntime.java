/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.jit;

import io.hvdbg.core.memory.LittleEndian;
import io.hvdbg.x86.cpu.JitAccess;

/**
 * Small static methods compiled blocks call for memory: soft-TLB hits (a miss leaves the block).
 * Flags, IMUL and shifts are computed by {@link io.hvdbg.x86.cpu.LazyFlags}, as in the interpreter.
 */
public final class JitRuntime {
    private JitRuntime() {
    }

    /**
     * The soft-TLB index of a read of {@code size} bytes at la that hits and stays in its page,
     * else a miss. Compiled accesses remember the entry and check it first the next time.
     */
    public static int readEntry(JitState s, long la, int size) {
        int i = (int) (la >>> 12) & JitAccess.TLB_MASK;
        if (s.readTag[i] == JitAccess.tlbTag(la, s.userBit) && s.space[i] == s.pcid
                && ((int) la & 0xFFF) <= 0x1000 - size) {
            return i;
        }
        throw JitMiss.MISS;
    }

    /** {@link #readEntry} for a write. */
    public static int writeEntry(JitState s, long la, int size) {
        int i = (int) (la >>> 12) & JitAccess.TLB_MASK;
        if (s.writeTag[i] == JitAccess.tlbTag(la, s.userBit) && s.space[i] == s.pcid
                && ((int) la & 0xFFF) <= 0x1000 - size) {
            return i;
        }
        throw JitMiss.MISS;
    }

    public static long read(JitState s, long la, int size) {
        int i = (int) (la >>> 12) & JitAccess.TLB_MASK;
        int off = (int) la & 0xFFF;
        if (s.readTag[i] == JitAccess.tlbTag(la, s.userBit) && s.space[i] == s.pcid && off <= 0x1000 - size) {
            byte[] b = s.data[i];
            int o = s.offset[i] + off;
            return switch (size) {
                case 1 -> b[o] & 0xFFL;
                case 2 -> LittleEndian.getU16(b, o);
                case 4 -> LittleEndian.getU32(b, o);
                default -> LittleEndian.getI64(b, o);
            };
        }
        throw JitMiss.MISS;
    }

    public static void write(JitState s, long la, int size, long v) {
        int i = (int) (la >>> 12) & JitAccess.TLB_MASK;
        int off = (int) la & 0xFFF;
        if (s.writeTag[i] == JitAccess.tlbTag(la, s.userBit) && s.space[i] == s.pcid && off <= 0x1000 - size) {
            byte[] b = s.data[i];
            int o = s.offset[i] + off;
            switch (size) {
                case 1 -> b[o] = (byte) v;
                case 2 -> LittleEndian.putU16(b, o, (int) v);
                case 4 -> LittleEndian.putI32(b, o, (int) v);
                default -> LittleEndian.putI64(b, o, v);
            }
            return;
        }
        throw JitMiss.MISS;
    }
}
