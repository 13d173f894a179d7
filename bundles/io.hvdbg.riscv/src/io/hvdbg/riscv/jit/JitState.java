/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.jit;

/**
 * What compiled blocks of one hart read and write: its register file and its data micro-TLBs
 * (the interpreter's own arrays, shared, so both see the same translations), plus the guest
 * time a block leaves behind. Public fields: generated code reads them directly.
 */
public final class JitState {
    public final long[] x;
    public final long[] rTag;
    public final byte[][] rMem;
    public final int[] rOff;
    public final long[] wTag;
    public final byte[][] wMem;
    public final int[] wOff;
    /** Out: guest time when the last block run ended. */
    public long timeNs;

    public JitState(long[] x, long[] rTag, byte[][] rMem, int[] rOff, long[] wTag, byte[][] wMem, int[] wOff) {
        this.x = x;
        this.rTag = rTag;
        this.rMem = rMem;
        this.rOff = rOff;
        this.wTag = wTag;
        this.wMem = wMem;
        this.wOff = wOff;
    }
}
