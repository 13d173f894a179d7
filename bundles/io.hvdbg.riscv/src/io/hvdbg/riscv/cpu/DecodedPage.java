/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

/**
 * The decoded instructions of one 4 KiB guest-physical page: one packed {@link Op} word per
 * 2-byte slot, 0 until the instruction at that address is first executed. Stores into the
 * page clear the slots they overlap, in place, so an interpreter running in the page re-decodes
 * at once.
 */
public final class DecodedPage {
    public final long[] code = new long[2048];
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
    }
}
