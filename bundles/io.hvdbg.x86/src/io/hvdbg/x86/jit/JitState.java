/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.jit;

/** What a compiled block reads and leaves: the vCPU's registers, lazy flags and soft TLB. */
public final class JitState {
    public final long[] regs;
    public final long[] readTag;
    public final long[] writeTag;
    public final byte[][] data;
    public final int[] offset;
    public final int[] space;
    /** The current PCID and user bit (TLB lookups compare them). */
    public int pcid;
    public int userBit;
    // lazy flags, as in X86Vcpu
    public int ccOp;
    public long ccA, ccB, ccRes;
    public int ccSize, ccCarry, ccEager;
    /** Out: RIP where the block left off. */
    public long rip;

    public JitState(long[] regs, long[] readTag, long[] writeTag, byte[][] data, int[] offset, int[] space) {
        this.regs = regs;
        this.readTag = readTag;
        this.writeTag = writeTag;
        this.data = data;
        this.offset = offset;
        this.space = space;
    }
}
