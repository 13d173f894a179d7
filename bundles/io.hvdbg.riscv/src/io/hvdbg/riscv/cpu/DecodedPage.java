/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

import io.hvdbg.riscv.jit.Block;
import io.hvdbg.riscv.jit.BlockCompiler;

/**
 * The decoded instructions of one 4 KiB guest-physical page: one packed {@link Op} word per
 * 2-byte slot, 0 until the instruction at that address is first executed. Stores into the
 * page clear the slots they overlap, in place, so an interpreter running in the page re-decodes
 * at once, and drop the compiled blocks whose bytes they overlap.
 */
public final class DecodedPage {
    public static final int SLOTS = 2048;
    public final long[] code = new long[SLOTS];
    /** Compiled blocks by start slot (null until the first is compiled; see io.hvdbg.riscv.jit.Jit). */
    public Block[] blocks;
    /** Arrivals at block starts not compiled yet, by slot. */
    public char[] heat;
    /** The memslot bytes and the offset of this page in them. */
    public final byte[] memory;
    public final int offset;
    public final long gpa;

    DecodedPage(byte[] memory, int offset, long gpa) {
        this.memory = memory;
        this.offset = offset;
        this.gpa = gpa;
    }

    /** Drops decoded instructions that may overlap bytes [from, from+len) of the page. */
    void invalidate(int from, int len) {
        int first = Math.max(0, (from - 2) >> 1);
        int last = Math.min(2047, (from + len - 1) >> 1);
        for (int i = first; i <= last; i++) {
            code[i] = 0;
        }
        Block[] b = blocks;
        if (b != null) {
            // A block starts at most MAX_BLOCK_BYTES before the first byte it covers.
            int lo = Math.max(0, (from - BlockCompiler.MAX_BLOCK_BYTES) >> 1);
            int hi = Math.min(SLOTS - 1, (from + len - 1) >> 1);
            for (int s = lo; s <= hi; s++) {
                if (b[s] != null && 2 * s + Math.max(2, b[s].bytes) > from) {
                    b[s] = null;
                    if (heat != null) {
                        heat[s] = 0; // code that keeps changing is not recompiled on every change
                    }
                }
            }
        }
    }
}
